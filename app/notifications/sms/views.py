"""Delivery receipts pushed by the SMS provider.

Neither provider signs its receipt callback, so the URL carries a secret (SMS_RECEIPT_TOKEN)
that is configured in the provider's console: without it, the endpoint does not exist.
"""
from __future__ import annotations

import hmac

from flask import abort, current_app, jsonify, request

from app.notifications.bp import sms as bp
from app.notifications.sms.services import record_receipt
from app.transaction import commit


# What each provider expects back, as documented (Tencent: result/errmsg; Aliyun: code/msg).
ANSWERS = {"tencent": ({"result": 0, "errmsg": "OK"}, {"result": 1, "errmsg": "bad payload"}),
           "aliyun": ({"code": 0, "msg": "成功"}, {"code": 1, "msg": "bad payload"})}


@bp.route("/receipts/<provider>/<token>", methods=["POST"])
def receipts(provider: str, token: str):
    expected = current_app.config.get("SMS_RECEIPT_TOKEN") or ""
    if provider not in ANSWERS or not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        abort(404)
    ok, bad = ANSWERS[provider]
    payload = request.get_json(silent=True)
    if not isinstance(payload, (list, dict)):
        return jsonify(bad), 400
    record_receipt(provider, payload)
    commit()  # the provider's callback answers JSON, not a page: no perform() redirect here
    return jsonify(ok)
