"""Schemathesis hooks for scripts/fuzz.sh (loaded through the config file it writes).

1. Schemathesis reuses identifiers it saw in responses, so it finds the id of the admin key it authenticates with
   (GET /api-keys) and would rotate or delete it, leaving every later request a 401. The key's id is passed in
   FUZZ_PROTECTED_KEY_ID; requests that would rotate or delete that key get an id that names no key instead (404).

2. OpenAPI 3.0 reads `integer` as a number written without a fraction, so schemathesis counts a body value `0.0`
   for an integer field as invalid input. JSON gives no meaning to how a number is written and JSON.parse hands
   the server the number 0 either way, so "schema-violating request accepted" for such a body is no finding. The
   failure is dropped only when the body becomes valid once every integral float is written as an integer and
   nothing outside the body was generated invalid; on any doubt it is kept.
"""

import os

import schemathesis
from schemathesis.core.jsonschema import make_validator
from schemathesis.core.parameters import ParameterLocation

PROTECTED = os.environ.get("FUZZ_PROTECTED_KEY_ID", "")
# A well-formed ULID that names no key.
STAND_IN = "01ZZZZZZZZZZZZZZZZZZZZZZZZ"
GUARDED = {("DELETE", "/api-keys/{keyId}"), ("POST", "/api-keys/{keyId}/rotate")}


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    if not PROTECTED or (case.method.upper(), case.path) not in GUARDED:
        return
    params = case.path_parameters or {}
    if str(params.get("keyId", "")).strip() == PROTECTED:
        params["keyId"] = STAND_IN


def _has_integral_float(value):
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, dict):
        return any(_has_integral_float(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_integral_float(item) for item in value)
    return False


def _as_json_reads_it(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _as_json_reads_it(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json_reads_it(item) for item in value]
    return value


@schemathesis.hook
def filter_failure(ctx, failure, case, response):
    try:
        if failure.code != "ST201" or not _has_integral_float(case.body):
            return True
        meta = case.meta
        if meta is None or any(
            meta.is_negative_at(location) for location in ParameterLocation if location is not ParameterLocation.BODY
        ):
            return True
        body = case.operation.get_body_for_media_type(case.media_type or "application/json")
        if body is None:
            return True
        validator = make_validator(body.optimized_schema, case.operation.schema.adapter.jsonschema_validator_cls)
        return not validator.is_valid(_as_json_reads_it(case.body))
    except Exception:
        return True
