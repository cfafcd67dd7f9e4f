"""The two providers' `SendSms` HTTP APIs, signed as their documentation defines.

Alibaba Cloud: RPC style API (dysmsapi.aliyuncs.com, version 2017-05-25), signature HMAC-SHA1
over "POST&%2F&" + the percent-encoded canonicalized query string, key = secret + "&".
Tencent Cloud: API 3.0 (sms.tencentcloudapi.com, version 2021-01-11), TC3-HMAC-SHA256.

Each call returns a `SendResult` whose `outcome` is one of SENT / RETRY / PERMANENT /
RATE_LIMITED; the provider's own code is kept for the record.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

log = logging.getLogger(__name__)

SENT, RETRY, PERMANENT, RATE_LIMITED = "sent", "retry", "permanent", "rate_limited"
TIMEOUT_SECONDS = 10


@dataclass
class SendResult:
    outcome: str
    code: str
    message: str = ""
    message_id: str | None = None


class ProviderConfigError(Exception):
    """The provider is chosen but a credential it needs is missing."""


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict | None]:
    """(HTTP status, JSON body or None); network trouble raises OSError."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:  # 4xx/5xx still carry the provider's JSON error body
        status, raw = exc.code, exc.read()
    try:
        return status, json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return status, None


def _network_failure(exc: Exception) -> SendResult:
    return SendResult(RETRY, "NETWORK", type(exc).__name__)


# -- Alibaba Cloud -------------------------------------------------------------------------
ALIYUN_RATE_LIMITED = {"isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL", "Throttling",
                       "Throttling.User", "Throttling.Api", "isv.OUT_OF_SERVICE_LIMIT"}
ALIYUN_TEMPORARY = {"isp.SYSTEM_ERROR", "isv.SYSTEM_ERROR", "ServiceUnavailable", "InternalError",
                    "isp.GATEWAY_ERROR", "RequestTimeout"}


def aliyun_outcome(code: str) -> str:
    """Permanent unless known to be temporary: a bad number, template, sign, balance or key
    does not get better by sending again."""
    if code == "OK":
        return SENT
    if code in ALIYUN_RATE_LIMITED or code.startswith("Throttling"):
        return RATE_LIMITED
    if code in ALIYUN_TEMPORARY or code.startswith("isp."):
        return RETRY
    return PERMANENT


def aliyun_percent_encode(value: str) -> str:
    # RFC 3986 unreserved characters stay; space is %20, '*' is %2A, '~' stays (as documented).
    return urllib.parse.quote(value, safe="-_.~")


class AliyunClient:
    name = "aliyun"
    DEFAULT_ENDPOINT = "https://dysmsapi.aliyuncs.com/"

    def __init__(self, access_key_id: str, access_key_secret: str, sign_name: str,
                 endpoint: str | None = None, region: str = "cn-hangzhou"):
        if not (access_key_id and access_key_secret and sign_name):
            raise ProviderConfigError("SMS_ACCESS_KEY_ID, SMS_ACCESS_KEY_SECRET and SMS_SIGN_NAME are required")
        self.access_key_id, self.secret, self.sign_name = access_key_id, access_key_secret, sign_name
        self.endpoint, self.region = endpoint or self.DEFAULT_ENDPOINT, region

    def signed_params(self, mobile: str, template_code: str, params: dict, *,
                      nonce: str | None = None, timestamp: datetime | None = None) -> dict[str, str]:
        moment = timestamp or datetime.now(timezone.utc)
        values = {
            "Action": "SendSms", "Version": "2017-05-25", "Format": "JSON", "RegionId": self.region,
            "AccessKeyId": self.access_key_id, "SignatureMethod": "HMAC-SHA1",
            "SignatureVersion": "1.0", "SignatureNonce": nonce or uuid.uuid4().hex,
            "Timestamp": moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "PhoneNumbers": mobile, "SignName": self.sign_name, "TemplateCode": template_code,
            "TemplateParam": json.dumps(params, ensure_ascii=False, separators=(",", ":")),
        }
        canonical = "&".join(f"{aliyun_percent_encode(k)}={aliyun_percent_encode(v)}"
                             for k, v in sorted(values.items()))
        string_to_sign = "POST&%2F&" + aliyun_percent_encode(canonical)
        digest = hmac.new((self.secret + "&").encode(), string_to_sign.encode(), hashlib.sha1).digest()
        values["Signature"] = base64.b64encode(digest).decode()
        return values

    def send(self, mobile: str, template_code: str, params: dict) -> SendResult:
        values = self.signed_params(mobile, template_code, params)
        body = "&".join(f"{aliyun_percent_encode(k)}={aliyun_percent_encode(v)}"
                        for k, v in values.items()).encode()
        try:
            status, answer = _post(self.endpoint, body,
                                   {"Content-Type": "application/x-www-form-urlencoded"})
        except OSError as exc:
            return _network_failure(exc)
        if not isinstance(answer, dict) or "Code" not in answer:
            return SendResult(RETRY if status >= 500 else PERMANENT, f"HTTP{status}")
        code = str(answer["Code"])
        return SendResult(aliyun_outcome(code), code, str(answer.get("Message") or "")[:200],
                          answer.get("BizId") if code == "OK" else None)


# -- Tencent Cloud --------------------------------------------------------------------------
def tencent_outcome(code: str) -> str:
    """Permanent unless known to be temporary, as for Aliyun: AuthFailure.*, InvalidParameterValue.*
    (IncorrectPhoneNumber, template parameters), FailedOperation.* (InsufficientBalanceInSmsPackage,
    TemplateIncorrectOrUnapproved, SignatureIncorrectOrUnapproved, PhoneNumberInBlacklist) and
    UnauthorizedOperation.* do not get better by sending again."""
    if code == "Ok":
        return SENT
    if code.startswith("LimitExceeded") or code == "RequestLimitExceeded":
        return RATE_LIMITED
    if code.startswith("InternalError") or code in ("FailedOperation.JsonParseFail",
                                                     "FailedOperation.FailResolvePacket"):
        return RETRY
    return PERMANENT


def tc3_hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


class TencentClient:
    name = "tencent"
    DEFAULT_ENDPOINT = "https://sms.tencentcloudapi.com/"
    SERVICE, VERSION, ACTION = "sms", "2021-01-11", "SendSms"

    def __init__(self, secret_id: str, secret_key: str, sdk_app_id: str, sign_name: str,
                 region: str = "ap-guangzhou", endpoint: str | None = None):
        if not (secret_id and secret_key and sdk_app_id and sign_name):
            raise ProviderConfigError("SMS_SECRET_ID, SMS_SECRET_KEY, SMS_SDK_APP_ID and SMS_SIGN_NAME are required")
        self.secret_id, self.secret_key, self.sdk_app_id = secret_id, secret_key, sdk_app_id
        self.sign_name, self.region = sign_name, region or "ap-guangzhou"
        self.endpoint = endpoint or self.DEFAULT_ENDPOINT

    def signed_request(self, mobile: str, template_id: str, params: list[str], *,
                       timestamp: int | None = None) -> tuple[bytes, dict[str, str]]:
        moment = int(timestamp if timestamp is not None else datetime.now(timezone.utc).timestamp())
        date = datetime.fromtimestamp(moment, timezone.utc).strftime("%Y-%m-%d")
        host = urllib.parse.urlsplit(self.endpoint).netloc
        body = json.dumps({"PhoneNumberSet": [mobile if mobile.startswith("+") else "+86" + mobile],
                           "SmsSdkAppId": self.sdk_app_id, "SignName": self.sign_name,
                           "TemplateId": template_id, "TemplateParamSet": [str(p) for p in params]},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        content_type = "application/json; charset=utf-8"
        canonical_request = "\n".join([
            "POST", "/", "", f"content-type:{content_type}\nhost:{host}\n", "content-type;host",
            hashlib.sha256(body).hexdigest()])
        scope = f"{date}/{self.SERVICE}/tc3_request"
        string_to_sign = "\n".join(["TC3-HMAC-SHA256", str(moment), scope,
                                    hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()])
        key = tc3_hmac(tc3_hmac(tc3_hmac(("TC3" + self.secret_key).encode("utf-8"), date),
                                self.SERVICE), "tc3_request")
        signature = hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
        headers = {
            "Authorization": f"TC3-HMAC-SHA256 Credential={self.secret_id}/{scope}, "
                             f"SignedHeaders=content-type;host, Signature={signature}",
            "Content-Type": content_type, "Host": host, "X-TC-Action": self.ACTION,
            "X-TC-Timestamp": str(moment), "X-TC-Version": self.VERSION, "X-TC-Region": self.region,
        }
        return body, headers

    def send(self, mobile: str, template_id: str, params: list[str]) -> SendResult:
        body, headers = self.signed_request(mobile, template_id, params)
        try:
            status, answer = _post(self.endpoint, body, headers)
        except OSError as exc:
            return _network_failure(exc)
        response = answer.get("Response") if isinstance(answer, dict) else None
        if not isinstance(response, dict):
            return SendResult(RETRY if status >= 500 else PERMANENT, f"HTTP{status}")
        error = response.get("Error")
        if isinstance(error, dict):  # the whole request was refused (signature, auth, limits)
            code = str(error.get("Code") or "")
            return SendResult(tencent_outcome(code), code, str(error.get("Message") or "")[:200])
        statuses = response.get("SendStatusSet") or []
        if not statuses or not isinstance(statuses[0], dict):
            return SendResult(RETRY, "EMPTY_SEND_STATUS")
        first = statuses[0]  # one number per call
        code = str(first.get("Code") or "")
        return SendResult(tencent_outcome(code), code, str(first.get("Message") or "")[:200],
                          first.get("SerialNo") if code == "Ok" else None)


def client_from_config(config) -> AliyunClient | TencentClient | None:
    provider = (config.get("SMS_PROVIDER") or "none").lower()
    if provider == "aliyun":
        return AliyunClient(config.get("SMS_ACCESS_KEY_ID"), config.get("SMS_ACCESS_KEY_SECRET"),
                            config.get("SMS_SIGN_NAME"), endpoint=config.get("SMS_ENDPOINT"))
    if provider == "tencent":
        return TencentClient(config.get("SMS_SECRET_ID"), config.get("SMS_SECRET_KEY"),
                             config.get("SMS_SDK_APP_ID"), config.get("SMS_SIGN_NAME"),
                             region=config.get("SMS_REGION") or "ap-guangzhou",
                             endpoint=config.get("SMS_ENDPOINT"))
    return None
