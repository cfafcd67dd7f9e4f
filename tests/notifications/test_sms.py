"""SMS through Alibaba Cloud and Tencent Cloud, each against a local server that checks the
request signature the way the provider's documentation defines it (written here from the
documentation, not from the client) and answers with the provider's documented bodies."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.notifications.sms import services as sms_services
from app.notifications.sms.models import SmsMessage
from app.notifications.sms.providers import AliyunClient, TencentClient
from tests.fixtures.platform import rq_scheduled, rq_work

SHANGHAI = ZoneInfo("Asia/Shanghai")
TEMPLATES = {"rejected": "SMS_472100001", "confirmed": "SMS_472100002", "event_cancelled": "SMS_472100003",
             "pending": "SMS_472100004"}
TENCENT_TEMPLATES = {"rejected": "2012001", "confirmed": "2012002", "event_cancelled": "2012003",
                     "pending": "2012004"}


# -- Alibaba Cloud: RPC signature (help.aliyun.com "Signature mechanism", dysmsapi SendSms) ---
def _aliyun_encode(value: str) -> str:
    # The documentation's recipe: form-encode, then '+' -> %20, '*' -> %2A, %7E -> '~'.
    return urllib.parse.quote_plus(value, safe="").replace("+", "%20").replace("*", "%2A").replace("%7E", "~")


class AliyunServer(BaseHTTPRequestHandler):
    secrets = {"LTAI5tTestKeyId": "aliyun-test-secret"}

    def log_message(self, *args):
        pass

    def _answer(self, status: int, body: dict):
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_POST(self):  # noqa: N802 - http.server's hook name
        state = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        query = urllib.parse.urlsplit(self.path).query
        pairs = urllib.parse.parse_qsl(query, keep_blank_values=True) + urllib.parse.parse_qsl(
            self.rfile.read(length).decode(), keep_blank_values=True)
        params = dict(pairs)
        request_id = "F655A8D5-B967-440B-8683-DAD6FF8DE990"
        signature = params.pop("Signature", "")
        secret = self.secrets.get(params.get("AccessKeyId", ""))
        if secret is None:
            return self._answer(404, {"RequestId": request_id, "HostId": "dysmsapi.aliyuncs.com",
                                      "Code": "InvalidAccessKeyId.NotFound",
                                      "Message": "Specified access key is not found."})
        canonical = "&".join(f"{_aliyun_encode(k)}={_aliyun_encode(v)}" for k, v in sorted(params.items()))
        string_to_sign = "POST&" + _aliyun_encode("/") + "&" + _aliyun_encode(canonical)
        expected = base64.b64encode(hmac.new((secret + "&").encode(), string_to_sign.encode(),
                                             hashlib.sha1).digest()).decode()
        well_formed = (params.get("SignatureMethod") == "HMAC-SHA1" and params.get("SignatureVersion") == "1.0"
                       and params.get("Action") == "SendSms" and params.get("Version") == "2017-05-25"
                       and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", params.get("Timestamp", "")))
        if not well_formed or not hmac.compare_digest(signature, expected):
            state["rejected"] += 1
            return self._answer(400, {
                "RequestId": request_id, "HostId": "dysmsapi.aliyuncs.com", "Code": "SignatureDoesNotMatch",
                "Message": f"Specified signature is not matched with our calculation. server string to sign "
                           f"is:{string_to_sign}"})
        if params["SignatureNonce"] in state["nonces"]:
            return self._answer(400, {"RequestId": request_id, "Code": "SignatureNonceUsed",
                                      "Message": "Specified signature nonce was used already."})
        state["nonces"].add(params["SignatureNonce"])
        state["requests"].append(params)
        code = state["codes"].pop(0) if state["codes"] else "OK"
        if code == "OK":
            return self._answer(200, {"Message": "OK", "RequestId": request_id, "Code": "OK",
                                      "BizId": f"9006197469364984{len(state['requests']):02d}^0"})
        return self._answer(200, {"Message": "documented error", "RequestId": request_id, "Code": code})


# -- Tencent Cloud: API 3.0 TC3-HMAC-SHA256 (cloud.tencent.com/document/api/382/52071) ---------
class TencentServer(BaseHTTPRequestHandler):
    secrets = {"AKIDtestSecretId": "tencent-test-secret-key"}

    def log_message(self, *args):
        pass

    def _answer(self, body: dict):
        raw = json.dumps({"Response": dict(body, RequestId="a0aabda6-cf91-4f3e-a81f-9198114a2279")}).encode()
        self.send_response(200)  # API 3.0 answers errors with 200 and Response.Error
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _failure(self, code, message):
        self.server.state["rejected"] += 1
        return self._answer({"Error": {"Code": code, "Message": message}})

    def do_POST(self):  # noqa: N802
        state = self.server.state
        payload = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        match = re.fullmatch(r"TC3-HMAC-SHA256 Credential=([^/]+)/(\d{4}-\d\d-\d\d)/sms/tc3_request, "
                             r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})",
                             self.headers.get("Authorization", ""))
        if not match:
            return self._failure("AuthFailure.InvalidAuthorization", "Authorization header is malformed.")
        secret_id, date, signed_headers, signature = match.groups()
        secret = self.secrets.get(secret_id)
        if secret is None:
            return self._failure("AuthFailure.SecretIdNotFound", "The SecretId is not found.")
        timestamp = self.headers.get("X-TC-Timestamp", "")
        if datetime.fromtimestamp(int(timestamp or 0), timezone.utc).strftime("%Y-%m-%d") != date:
            return self._failure("AuthFailure.SignatureFailure", "Credential date does not match the timestamp.")
        names = signed_headers.split(";")
        if "content-type" not in names or "host" not in names:
            return self._failure("AuthFailure.SignatureFailure", "content-type and host must be signed.")
        canonical_headers = "".join(f"{n}:{self.headers.get(n, '').strip().lower()}\n" for n in names)
        canonical_request = (f"POST\n/\n\n{canonical_headers}\n{signed_headers}\n"
                             f"{hashlib.sha256(payload).hexdigest()}")
        string_to_sign = (f"TC3-HMAC-SHA256\n{timestamp}\n{date}/sms/tc3_request\n"
                          f"{hashlib.sha256(canonical_request.encode()).hexdigest()}")

        def _hmac(key: bytes, msg: str) -> bytes:
            return hmac.new(key, msg.encode(), hashlib.sha256).digest()

        signing_key = _hmac(_hmac(_hmac(f"TC3{secret}".encode(), date), "sms"), "tc3_request")
        expected = hmac.new(signing_key, string_to_sign.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(signature, expected):
            return self._failure("AuthFailure.SignatureFailure",
                                 "The provided credentials could not be validated. "
                                 "Please check your signature is correct.")
        if (self.headers.get("X-TC-Action"), self.headers.get("X-TC-Version")) != ("SendSms", "2021-01-11"):
            return self._failure("InvalidAction", "The action or version is not valid.")
        body = json.loads(payload)
        state["requests"].append(body)
        code = state["codes"].pop(0) if state["codes"] else "Ok"
        if code.startswith(("AuthFailure", "InternalError", "RequestLimitExceeded")):  # request-level errors
            return self._answer({"Error": {"Code": code, "Message": "documented error"}})
        phone = body["PhoneNumberSet"][0]
        return self._answer({"SendStatusSet": [{
            "SerialNo": f"5000:1045710669157053657849499{len(state['requests']):02d}" if code == "Ok" else "",
            "PhoneNumber": phone, "Fee": 1 if code == "Ok" else 0, "SessionContext": "",
            "Code": code, "Message": "send success" if code == "Ok" else "documented error", "IsoCode": "CN"}]})


def _serve(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.state = {"requests": [], "codes": [], "nonces": set(), "rejected": 0}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture
def aliyun(app, monkeypatch):
    server = _serve(AliyunServer)
    for key, value in {"SMS_PROVIDER": "aliyun", "SMS_ACCESS_KEY_ID": "LTAI5tTestKeyId",
                       "SMS_ACCESS_KEY_SECRET": "aliyun-test-secret", "SMS_SIGN_NAME": "闵行人才",
                       "SMS_ENDPOINT": f"http://127.0.0.1:{server.server_port}/",
                       "SMS_TEMPLATES": json.dumps(TEMPLATES)}.items():
        monkeypatch.setitem(app.config, key, value)
    yield server.state
    server.shutdown()
    server.server_close()


@pytest.fixture
def tencent(app, monkeypatch):
    server = _serve(TencentServer)
    for key, value in {"SMS_PROVIDER": "tencent", "SMS_SECRET_ID": "AKIDtestSecretId",
                       "SMS_SECRET_KEY": "tencent-test-secret-key", "SMS_SDK_APP_ID": "1400006666",
                       "SMS_SIGN_NAME": "闵行人才", "SMS_REGION": "ap-guangzhou",
                       "SMS_ENDPOINT": f"http://127.0.0.1:{server.server_port}/",
                       "SMS_TEMPLATES": TENCENT_TEMPLATES}.items():
        monkeypatch.setitem(app.config, key, value)
    yield server.state
    server.shutdown()
    server.server_close()


@pytest.fixture
def clock(monkeypatch):
    """Daytime in Shanghai unless a test moves it."""
    state = {"now": datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI).astimezone(timezone.utc)}
    monkeypatch.setattr(sms_services, "utcnow", lambda: state["now"])
    return state


PARAMS = {"name": "张悦", "title": "人才政策宣讲会", "link": "http://localhost/me/registrations"}


def _queue(user, kind="rejected", params=PARAMS, **kw):
    sms = sms_services.queue_sms(user, kind, params, **kw)
    db.session.commit()
    return sms


# -- Alibaba Cloud ----------------------------------------------------------------------------
def test_aliyun_sends_signed_request_and_keeps_bizid(db_session, aliyun, clock, create_user):
    user = create_user(mobile="13912345678")
    sms = _queue(user)
    assert sms.status == "queued" and sms.template_code == "SMS_472100001"
    assert sms_services.deliver_due()["sent"] == 1
    assert (sms.status, sms.attempts, sms.error_code) == ("sent", 1, None)
    assert sms.provider == "aliyun" and sms.provider_message_id.endswith("^0")
    request, = aliyun["requests"]
    assert request["PhoneNumbers"] == "13912345678" and request["SignName"] == "闵行人才"
    assert request["TemplateCode"] == "SMS_472100001"
    assert json.loads(request["TemplateParam"]) == PARAMS
    assert aliyun["rejected"] == 0


def test_aliyun_wrong_secret_fails_with_signature_does_not_match(db_session, aliyun, clock, create_user,
                                                                app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_ACCESS_KEY_SECRET", "not-the-secret")
    sms = _queue(create_user())
    sms_services.deliver_due()
    assert (sms.status, sms.error_code, sms.next_attempt_at) == ("failed", "SignatureDoesNotMatch", None)
    assert aliyun["rejected"] == 1 and aliyun["requests"] == []
    assert sms_services.deliver_due()["failed"] == 0  # a permanent failure is not retried


def test_aliyun_server_refuses_a_request_changed_after_signing(aliyun, app):
    """The local server's check is real: a parameter changed after signing is refused."""
    client = AliyunClient("LTAI5tTestKeyId", "aliyun-test-secret", "闵行人才",
                          endpoint=app.config["SMS_ENDPOINT"])
    signed = client.signed_params("13912345678", "SMS_472100001", PARAMS)
    signed["PhoneNumbers"] = "13900000000"
    body = urllib.parse.urlencode(signed).encode()
    request = urllib.request.Request(app.config["SMS_ENDPOINT"], data=body, method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert json.loads(refused.value.read())["Code"] == "SignatureDoesNotMatch"


@pytest.mark.parametrize("code, status", [
    ("isv.MOBILE_NUMBER_ILLEGAL", "failed"),
    ("isv.AMOUNT_NOT_ENOUGH", "failed"),
    ("isv.TEMPLATE_MISSING_PARAMETERS", "failed"),
    ("isv.SMS_SIGNATURE_ILLEGAL", "failed"),
    ("isv.BUSINESS_LIMIT_CONTROL", "queued"),  # the provider's rate limit: later
    ("Throttling.User", "queued"),
    ("isp.SYSTEM_ERROR", "queued"),  # temporary: retried
])
def test_aliyun_error_codes_map_to_statuses(db_session, aliyun, clock, create_user, code, status):
    aliyun["codes"].append(code)
    sms = _queue(create_user())
    sms_services.deliver_due()
    assert (sms.status, sms.error_code, sms.attempts) == (status, code, 1)
    assert (sms.next_attempt_at is not None) == (status == "queued")


# -- Tencent Cloud ----------------------------------------------------------------------------
def test_tencent_sends_signed_request_and_keeps_serial_no(db_session, tencent, clock, create_user):
    sms = _queue(create_user(mobile="13912345678"))
    assert sms_services.deliver_due()["sent"] == 1
    assert sms.status == "sent" and sms.provider == "tencent" and sms.provider_message_id.startswith("5000:")
    request, = tencent["requests"]
    assert request == {"PhoneNumberSet": ["+8613912345678"], "SmsSdkAppId": "1400006666",
                       "SignName": "闵行人才", "TemplateId": "2012001",
                       "TemplateParamSet": [PARAMS["name"], PARAMS["title"], PARAMS["link"]]}


def test_tencent_wrong_secret_fails_with_signature_failure(db_session, tencent, clock, create_user,
                                                          app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_SECRET_KEY", "not-the-key")
    sms = _queue(create_user())
    sms_services.deliver_due()
    assert (sms.status, sms.error_code) == ("failed", "AuthFailure.SignatureFailure")
    assert tencent["rejected"] == 1 and tencent["requests"] == []


def test_tencent_server_refuses_a_body_changed_after_signing(tencent, app):
    client = TencentClient("AKIDtestSecretId", "tencent-test-secret-key", "1400006666", "闵行人才",
                           endpoint=app.config["SMS_ENDPOINT"])
    body, headers = client.signed_request("13912345678", "2012001", ["张悦"])
    body = body.replace(b"13912345678", b"13900000000")
    request = urllib.request.Request(app.config["SMS_ENDPOINT"], data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        answer = json.loads(response.read())
    assert answer["Response"]["Error"]["Code"] == "AuthFailure.SignatureFailure"


@pytest.mark.parametrize("code, status", [
    ("InvalidParameterValue.IncorrectPhoneNumber", "failed"),
    ("FailedOperation.InsufficientBalanceInSmsPackage", "failed"),
    ("FailedOperation.TemplateIncorrectOrUnapproved", "failed"),
    ("LimitExceeded.PhoneNumberDailyLimit", "queued"),
    ("RequestLimitExceeded", "queued"),
    ("InternalError.Timeout", "queued"),
])
def test_tencent_error_codes_map_to_statuses(db_session, tencent, clock, create_user, code, status):
    tencent["codes"].append(code)
    sms = _queue(create_user())
    sms_services.deliver_due()
    assert (sms.status, sms.error_code, sms.attempts) == (status, code, 1)


# -- retries, quiet hours, cap, no provider ----------------------------------------------------
def test_temporary_failures_back_off_exponentially_then_give_up(db_session, aliyun, clock, create_user):
    aliyun["codes"].extend(["isp.SYSTEM_ERROR"] * 5)
    sms = _queue(create_user())
    start = clock["now"]
    delays = []
    for attempt in range(1, 6):
        assert sms_services.deliver_due()["retry" if attempt < 5 else "failed"] == 1
        assert sms.attempts == attempt
        if attempt < 5:
            delays.append(sms.next_attempt_at - clock["now"])
            clock["now"] = sms.next_attempt_at - timedelta(seconds=1)
            assert sum(sms_services.deliver_due().values()) == 0  # not due yet
            clock["now"] = sms.next_attempt_at
    assert delays == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert sms.status == "failed" and sms.error_code == "isp.SYSTEM_ERROR"
    assert len(aliyun["requests"]) == 5 and clock["now"] > start


def test_a_retry_that_succeeds_is_sent(db_session, tencent, clock, create_user):
    tencent["codes"].append("InternalError.Timeout")
    sms = _queue(create_user())
    sms_services.deliver_due()
    clock["now"] = sms.next_attempt_at
    sms_services.deliver_due()
    assert (sms.status, sms.attempts, sms.error_code) == ("sent", 2, None)


def test_quiet_hours_defer_non_urgent_notices_to_eight(db_session, aliyun, clock, create_user):
    clock["now"] = datetime(2026, 12, 7, 23, 0, tzinfo=SHANGHAI).astimezone(timezone.utc)
    user = create_user()
    sms = _queue(user)
    urgent = _queue(user, "event_cancelled", {"name": "张悦", "title": "宣讲会", "date": "12-08 09:00"})
    assert sms.status == "deferred"
    assert sms.next_attempt_at == datetime(2026, 12, 8, 8, 0, tzinfo=SHANGHAI)
    assert urgent.status == "queued" and urgent.urgent
    assert sms_services.deliver_due()["sent"] == 1  # only the urgent one at night
    assert urgent.status == "sent" and sms.status == "deferred"
    clock["now"] = datetime(2026, 12, 8, 7, 59, tzinfo=SHANGHAI)
    assert sum(sms_services.deliver_due().values()) == 0
    clock["now"] = datetime(2026, 12, 8, 8, 0, tzinfo=SHANGHAI)
    sms_services.deliver_due()
    assert sms.status == "sent" and len(aliyun["requests"]) == 2


def test_quiet_hours_start_at_ten_and_cover_early_morning(clock):
    at = lambda h, m=0: datetime(2026, 12, 7, h, m, tzinfo=SHANGHAI)  # noqa: E731
    assert sms_services.quiet_until(at(21, 59)) is None
    assert sms_services.quiet_until(at(22, 0)) == datetime(2026, 12, 8, 8, 0, tzinfo=SHANGHAI)
    assert sms_services.quiet_until(at(3, 0)) == datetime(2026, 12, 7, 8, 0, tzinfo=SHANGHAI)
    assert sms_services.quiet_until(at(8, 0)) is None


def test_daily_cap_per_number(db_session, aliyun, clock, create_user, app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_DAILY_CAP_PER_NUMBER", 2)
    user = create_user()
    first, second, third = (_queue(user) for _ in range(3))
    assert (first.status, second.status, third.status) == ("queued", "queued", "capped")
    assert third.error_code == "DAILY_CAP" and "2" in third.error
    assert sms_services.deliver_due()["sent"] == 2 and third.status == "capped"
    clock["now"] = datetime(2026, 12, 8, 0, 5, tzinfo=SHANGHAI).astimezone(timezone.utc)  # a new day
    assert _queue(user, urgent=True).status == "queued"


def test_without_provider_sms_stays_unsent_and_is_sent_once_configured(db_session, app, clock, create_user,
                                                                      monkeypatch):
    monkeypatch.setitem(app.config, "SMS_TEMPLATES", TEMPLATES)
    sms = _queue(create_user())
    assert (sms.status, sms.error_code) == ("unsent", "NO_PROVIDER")
    assert sum(sms_services.deliver_due().values()) == 0 and sms.attempts == 0


def test_a_person_without_mobile_gets_no_sms(db_session, aliyun, create_user):
    user = create_user(email="only.mail@example.com")
    user.mobile = None
    assert sms_services.queue_sms(user, "rejected", PARAMS) is None


def test_rejection_queues_sms_with_rejection_template(db_session, aliyun, clock, create_user, create_event):
    from app.registrations import services as reg

    organiser = create_user("organiser")
    event = create_event(requires_approval=True, title="海聚英才 全球创新创业峰会")
    person = create_user(mobile="13712345678", name="李想")
    registration = reg.register(person, event)
    db.session.commit()
    reg.reject(organiser, [registration], "名额已满")
    db.session.commit()
    kinds = db.session.execute(sa.select(SmsMessage.kind, SmsMessage.template_code, SmsMessage.params)
                               .where(SmsMessage.user_id == person.id).order_by(SmsMessage.id)).all()
    assert [k for k, _, _ in kinds] == ["pending", "rejected"]
    _, code, params = kinds[-1]
    assert code == "SMS_472100001"
    assert params == {"name": "李想", "title": "海聚英才 全球创新创业峰会", "link": "http://localhost/me/registrations"}
    assert "名额已满" not in json.dumps(params, ensure_ascii=False)  # no free text in an SMS


# -- receipts --------------------------------------------------------------------------------
def test_receipts_mark_delivered_or_failed(db_session, tencent, clock, create_user):
    first, second = _queue(create_user()), _queue(create_user())
    sms_services.deliver_due()
    payload = [  # Tencent's documented status callback: a list of reports
        {"user_receive_time": "2026-12-07 10:00:05", "nationcode": "86", "mobile": first.mobile,
         "report_status": "SUCCESS", "errmsg": "DELIVRD", "description": "用户短信送达成功",
         "sid": first.provider_message_id},
        {"user_receive_time": "2026-12-07 10:00:07", "nationcode": "86", "mobile": second.mobile,
         "report_status": "FAIL", "errmsg": "MK:0001", "description": "空号", "sid": second.provider_message_id},
        {"sid": "unknown", "report_status": "SUCCESS"},
    ]
    assert sms_services.record_receipt("tencent", payload) == 2
    assert (first.status, first.receipt_status) == ("delivered", "DELIVRD")
    assert first.receipt_at == datetime(2026, 12, 7, 10, 0, 5, tzinfo=SHANGHAI)
    assert (second.status, second.error_code) == ("failed", "MK:0001")


def test_aliyun_receipt(db_session, aliyun, clock, create_user):
    sms = _queue(create_user())
    sms_services.deliver_due()
    report = {"phone_number": sms.mobile, "send_time": "2026-12-07 10:00:00", "report_time": "2026-12-07 10:00:08",
              "success": True, "err_code": "DELIVERED", "err_msg": "用户接收成功", "sms_size": "1",
              "biz_id": sms.provider_message_id, "out_id": ""}
    assert sms_services.record_receipt("aliyun", [report]) == 1
    assert sms.status == "delivered" and sms.receipt_status == "DELIVERED"


def test_mobile_is_masked_for_lists(db_session, create_user, clock):
    sms = _queue(create_user(mobile="13912345678"))
    assert sms.mobile_masked == "139****5678"


def test_admin_sees_sms_with_masked_numbers(client, db_session, clock, create_user, login_as):
    person = create_user(mobile="13912345678", name="王芳")
    _queue(person)
    login_as(create_user("admin"))
    page = client.get("/admin/outbox/sms?status=unsent")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "139****5678" in html and "13912345678" not in html and "王芳" in html
    assert client.get("/admin/outbox/sms?status=nonsense").status_code == 200


def test_receipt_endpoint_needs_the_token(client, db_session, tencent, clock, create_user, app, monkeypatch):
    sms = _queue(create_user())
    sms_services.deliver_due()
    report = [{"user_receive_time": "2026-12-07 10:00:05", "nationcode": "86", "mobile": sms.mobile,
               "report_status": "SUCCESS", "errmsg": "DELIVRD", "description": "ok", "sid": sms.provider_message_id}]
    assert client.post("/sms/receipts/tencent/anything", json=report).status_code == 404  # no token set
    monkeypatch.setitem(app.config, "SMS_RECEIPT_TOKEN", "receipt-secret-1")
    assert client.post("/sms/receipts/tencent/wrong", json=report).status_code == 404
    bad = client.post("/sms/receipts/tencent/receipt-secret-1", data="not json", content_type="application/json")
    assert bad.status_code == 400 and bad.get_json()["result"] == 1
    answer = client.post("/sms/receipts/tencent/receipt-secret-1", json=report)
    assert answer.status_code == 200 and answer.get_json() == {"result": 0, "errmsg": "OK"}
    db.session.refresh(sms)
    assert sms.status == "delivered"


def test_cap_counts_messages_queued_in_the_same_transaction(db_session, aliyun, clock, create_user, app,
                                                            monkeypatch):
    monkeypatch.setitem(app.config, "SMS_DAILY_CAP_PER_NUMBER", 1)
    user = create_user()
    first = sms_services.queue_sms(user, "rejected", PARAMS)
    second = sms_services.queue_sms(user, "rejected", PARAMS)  # no commit in between
    assert (first.status, second.status) == ("queued", "capped")


def test_cli_sends_due_messages(app, db_session, aliyun, create_user):
    sms = _queue(create_user(), urgent=True)  # urgent: the real clock may be in quiet hours
    result = app.test_cli_runner().invoke(args=["sms", "send"])
    assert result.exit_code == 0 and "sent 1" in result.output
    db.session.refresh(sms)
    assert sms.status == "sent"


# -- after the commit: an RQ job per message, retries scheduled with enqueue_at ------------------
@pytest.fixture
def notifications_queue(notifications_queue, app, monkeypatch):
    """A notifications queue of its own in the test Redis; SMS handed over after each commit."""
    monkeypatch.setitem(app.config, "SMS_SEND_AFTER_COMMIT", True)
    return notifications_queue


def test_sms_go_to_an_rq_job_after_the_commit_and_a_temporary_failure_is_rescheduled(
        db_session, aliyun, clock, create_user, notifications_queue):
    from app.transaction import commit

    aliyun["codes"].append("isp.SYSTEM_ERROR")  # the first attempt fails for now
    sms = sms_services.queue_sms(create_user(), "rejected", PARAMS)
    commit()
    sms_id = sms.id
    # Handed to the worker, not sent inside the request.
    assert notifications_queue.job_ids == [f"sms-{sms_id}-0"] and aliyun["requests"] == []
    rq_work(notifications_queue)
    sms = db.session.get(SmsMessage, sms_id)
    assert (sms.status, sms.attempts, sms.error_code) == ("queued", 1, "isp.SYSTEM_ERROR")
    assert sms.next_attempt_at == clock["now"] + timedelta(minutes=1)
    # The retry is scheduled for its time with RQ's scheduler (enqueue_at), one job per attempt.
    assert rq_scheduled(notifications_queue) == {f"sms-{sms_id}-1": int(sms.next_attempt_at.timestamp())}
    assert notifications_queue.count == 0

    # Its time comes (the test moves the schedule, not the clock of Redis): sent on the retry.
    clock["now"] = sms.next_attempt_at
    notifications_queue.connection.zadd(notifications_queue.scheduled_job_registry.key,
                                        {f"sms-{sms_id}-1": 0})
    rq_work(notifications_queue)
    db.session.expire_all()
    sms = db.session.get(SmsMessage, sms_id)
    assert (sms.status, sms.attempts) == ("sent", 2) and len(aliyun["requests"]) == 2
    assert rq_scheduled(notifications_queue) == {}
    # The sweep finds nothing left to send.
    assert sum(sms_services.deliver_due().values()) == 0


def test_an_sms_in_the_quiet_hours_is_scheduled_for_eight(db_session, aliyun, clock, create_user,
                                                        notifications_queue):
    from app.transaction import commit

    clock["now"] = datetime(2026, 12, 7, 23, 0, tzinfo=SHANGHAI).astimezone(timezone.utc)
    sms = sms_services.queue_sms(create_user(), "rejected", PARAMS)
    commit()
    eight = datetime(2026, 12, 8, 8, 0, tzinfo=SHANGHAI).astimezone(timezone.utc)
    assert sms.status == "deferred" and sms.next_attempt_at == eight
    assert rq_scheduled(notifications_queue) == {f"sms-{sms.id}-0": int(eight.timestamp())}
    assert notifications_queue.count == 0 and aliyun["requests"] == []


def test_without_redis_sms_are_sent_after_the_commit_inline_when_configured(
        db_session, aliyun, clock, create_user, app, monkeypatch):
    from app.transaction import commit

    monkeypatch.setitem(app.config, "SMS_SEND_AFTER_COMMIT", True)
    sms = sms_services.queue_sms(create_user(), "rejected", PARAMS)
    db.session.flush()
    assert aliyun["requests"] == []
    commit()
    db.session.expire_all()
    assert db.session.get(SmsMessage, sms.id).status == "sent" and len(aliyun["requests"]) == 1


def test_a_person_who_turned_sms_off_gets_none_but_the_inbox_still_has_the_notice(
        db_session, aliyun, clock, create_user, create_event):
    from app.notifications.models import InboxMessage, OutboxMessage
    from app.registrations import services as reg

    organiser = create_user("organiser")
    event = create_event(requires_approval=True)
    person = create_user(mobile="13712345679", email="li.xiang@example.com")
    person.notify_sms, person.notify_mail = False, False
    registration = reg.register(person, event)
    reg.reject(organiser, [registration], "名额已满")
    db.session.commit()
    assert db.session.scalars(sa.select(SmsMessage).where(SmsMessage.user_id == person.id)).all() == []
    mails = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.user_id == person.id)).all()
    assert {m.status for m in mails} == {"opted_out"}  # kept for the record, never mailed
    inbox = db.session.scalars(sa.select(InboxMessage.kind).where(InboxMessage.user_id == person.id)).all()
    assert sorted(inbox) == ["pending", "rejected"]
    # Turned back on: the next notice goes by both.
    person.notify_sms = person.notify_mail = True
    other = reg.register(person, create_event(requires_approval=True))
    db.session.commit()
    assert db.session.scalar(sa.select(SmsMessage.kind).where(SmsMessage.user_id == person.id)) == "pending"
    assert db.session.scalar(sa.select(OutboxMessage.status).where(
        OutboxMessage.registration_id == other.id)) == "queued"


def test_the_sweep_does_not_resend_a_message_a_worker_sent_meanwhile(db_session, aliyun, clock, create_user,
                                                                      monkeypatch):
    """The sweep lists what is due, then sends one by one: a message a worker's job sent while the
    sweep was busy with an earlier one is claimed afresh, found sent, and passed by."""
    first, second = _queue(create_user(mobile="13912345678")), _queue(create_user(mobile="13812345678"))
    first_mobile, second_id = first.mobile, second.id
    real = sms_services._client()

    class WorkerMeanwhile:
        name = real.name

        def send(self, mobile, template_code, params):
            if mobile == first_mobile:
                with db.engine.begin() as conn:  # a job on another connection sends the second
                    conn.execute(sa.update(SmsMessage).where(SmsMessage.id == second_id)
                                 .values(status="sent", provider_message_id="by-the-worker"))
            return real.send(mobile, template_code, params)

    monkeypatch.setattr(sms_services, "_client", WorkerMeanwhile)
    assert sms_services.deliver_due()["sent"] == 1
    assert [r["PhoneNumbers"] for r in aliyun["requests"]] == ["13912345678"]
    db.session.refresh(second)
    assert (second.status, second.provider_message_id, second.attempts) == ("sent", "by-the-worker", 0)
