"""A second, independent receiver-side check of VitaSync's webhook signatures, with the Standard Webhooks
specification's own Python library (PyPI `standardwebhooks`). Reads {"secret", "messages": [{id, timestamp,
signature, body}]} on stdin; prints one JSON line: {"verified": [webhook-id…], "refused": {webhook-id: error}}.
A tampered copy of each message must be refused too, so it reports those under "tamperedAccepted"."""
import json
import sys

from standardwebhooks.webhooks import Webhook

request = json.load(sys.stdin)
hook = Webhook(request["secret"])
verified, refused, tampered_accepted = [], {}, []
for message in request["messages"]:
    headers = {
        "webhook-id": message["id"],
        "webhook-timestamp": message["timestamp"],
        "webhook-signature": message["signature"],
    }
    try:
        hook.verify(message["body"], headers)
        verified.append(message["id"])
    except Exception as error:  # the library raises WebhookVerificationError; report anything
        refused[message["id"]] = str(error)
    try:
        hook.verify(message["body"] + " ", headers)
        tampered_accepted.append(message["id"])
    except Exception:
        pass
print(json.dumps({"verified": verified, "refused": refused, "tamperedAccepted": tampered_accepted}))
