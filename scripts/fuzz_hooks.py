"""Schemathesis hooks for scripts/fuzz.sh (loaded through the config file it writes).

1. Schemathesis reuses identifiers it saw in responses, so it finds the id of the admin key it authenticates with
   (GET /api-keys) and would rotate or delete it, leaving every later request a 401. The key's id is passed in
   FUZZ_PROTECTED_KEY_ID; requests that would rotate or delete that key get an id that names no key instead (404).

2. OpenAPI 3.0 reads `integer` as a number written without a fraction, so schemathesis counts a body value `0.0`
   for an integer field as invalid input. JSON gives no meaning to how a number is written and JSON.parse hands
   the server the number 0 either way, so "schema-violating request accepted" for such a body is no finding. The
   failure is dropped only when the body becomes valid once every integral float is written as an integer and
   nothing outside the body was generated invalid; on any doubt it is kept.

3. positive_data_acceptance (schema-valid input must not be refused with 400/422) holds for every single-value
   rule: the document states them all. What it cannot state is below (ALLOWED_REFUSALS): a refusal is dropped only
   when its message is one of these, so any other 400/422 to schema-valid input is still a failure.
"""

import json
import os
import re

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


# Refusals of schema-valid input that no OpenAPI 3.0 schema can rule out, each with why.
ALLOWED_REFUSALS = [
    # Rules over two fields: a parameter schema speaks of one value only.
    r"^pass either offset or cursor, not both",
    r"^from must (be before|not be after) to",
    r"^from–to spans more than \d+ (\w+ buckets|days)",  # the window and the bucket size together
    r"endAt must be after startAt",
    r"^minBaselineDays must be an integer from 3 to baselineDays",
    r"sleep stage must lie within the session",
    r"^endDate (is required for a by_date goal|must not be before startDate)",  # a goal's period and start date decide
    r"^a challenge lasts at most \d+ days",  # the span between startDate and endDate
    r"^(goalDate must not be before startDate|a plan spans at most \d+ days)",  # a training plan's two dates
    r"^goal(Distance \(metres\)|Description) is required for an? \w+ goal",  # which goal fields apply: goalKind
    r"^sessions\[\d+\] needs durationMinutes or distance",  # one of two fields of a planned session
    r"^condition\.\w+ is required for \w+ conditions",  # which condition fields apply depends on condition.kind
    r"^minSeverity \w+ is above what \w+ conditions notify with",  # the rule's minimum and its condition's kind
    r"^channelIds must list 1 to \d+ channels",  # a list's length: input rules state single values
    r"^sessions must hold 1 to \d+ planned sessions",  # likewise
    r"^(timesPerWeek|weekdays) is (required|only for frequency)",  # which schedule field a habit takes: its frequency
    r"^weekdays must not repeat a day",  # a list's items: input rules state single values
    r"^amount must be at most \d+ ml in one log",  # a water log's amount and its unit together
    r"^a meal needs at least one food or one nutrient",  # one of several fields
    r"^sugar must not exceed carbohydrates",  # two fields of a meal
    r"^times must hold 1 to \d+ dose times",  # likewise (a medication's dose times)
    r"^triggers must hold at most \d+ entries",  # likewise (a symptom's triggers)
    r"^date and time name a dose together",  # a dose log's two fields name one scheduled dose
    r"^(tags|gratitude) must hold at most \d+",  # likewise (tags also once each, after trimming and lower-casing)
    r"^(a custom report needs from and to|date is for weekly and monthly reports|from and to are for custom reports)",  # period decides
    r"^a custom report covers at most \d+ days",  # the span between from and to
    r"^formats must name at least one",  # a list's length
    r"^types must name at least one",  # a list's length: input rules state single values
    r"^metricTypes narrows the samples",  # an export's metricTypes and its types together
    # A notification channel's type decides the keys and values of its settings (listed per type in the document).
    r"^settings\.",
    # Stored state or the clock: only the server knows.
    r"^cursor is not valid",  # a signed token of an earlier page
    r"^redirectUri .* is not in the workspace's redirectUris",  # registered with setRedirectUris
    r"^expiresAt must be in the future",
    # A medication's schedule decides which doses exist.
    r"^time must be one of the medication's dose times",
    r"^date \S+ is not a scheduled day of this medication",
    r"^no scheduled dose within \d+ hours of at",
    r"^at must not be in the future",  # a mood or journal entry's instant
    r"^since must not be in the future",  # recovering webhook deliveries from a time still to come
    r"^to must not be after the user's today",  # a report's period ends by the user's local today
    r"^the (week|month) of date ends \S+, after the user's today",  # likewise, for a weekly or monthly report
    r"^startDate must not be after today",  # a habit starts no later than the user's local today
    r"^date must not be (before the habit's startDate|after today)",  # a habit's completion day: its start, the clock
    r"^channelIds\[\d+\] \S+ is not a notification channel of this user",  # channels registered before
    r"^condition\.medicationId \S+ is not a medication of this user",  # a medication added before
    r"^link (is missing or invalid|has expired)",  # a signed connect link VitaSync handed out
    r"^state is (missing|invalid)",  # the signed OAuth state of a flow VitaSync started
    # PostgreSQL cannot store U+0000 in text: a rule of every string, said in the Formats part of the document.
    r"^text must not contain the NUL character",
    r"is not configured in this install",  # provider credentials of this install
    # The operator's outbound network policy (fresh-server.sh sets WEBHOOK_DENY_PUBLIC so the fuzzer never calls out).
    r"is refused: only addresses of WEBHOOK_ALLOWED_NETWORKS are called here",
    # The zone database is the rule: a pattern cannot tell "Europe/Berlin" from "Europe/Atlantis". (Matched with
    # DOTALL: the generated zone may hold a line break.)
    r"^(body field |query parameter )?timezone .*(is not an IANA time zone|must be an IANA)",
]


def _allowed_refusal(case, response):
    # The stateful phase fills a path parameter from a link whose value an earlier answer lacked: "null" is then no
    # schema-valid id, whatever the phase believes.
    if any(value in (None, "null") for value in (case.path_parameters or {}).values()):
        return True
    try:
        message = json.loads(response.content).get("message", "")
    except Exception:
        return False
    return any(re.search(pattern, message, re.DOTALL) for pattern in ALLOWED_REFUSALS)


@schemathesis.hook
def filter_failure(ctx, failure, case, response):
    try:
        if failure.code == "ST202":
            return not _allowed_refusal(case, response)
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
