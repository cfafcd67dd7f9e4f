"""Configuration read from the environment.

Production settings are the default; `make run` selects development, the test
suite selects testing.
"""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("INSTANCE_PATH", ROOT / "instance"))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str) -> list[str] | None:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return None
    return [item.strip() for item in value.split(",") if item.strip()]


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{INSTANCE / 'minhang.sqlite3'}"
    # Heroku-style and bare postgresql:// URLs go through psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url()
    # Testing a pooled connection before use saves the first request after a database restart or
    # a dropped idle connection. On PostgreSQL only a connection idle for DB_POOL_PING_AFTER_IDLE
    # seconds is tested (app/database_liveness.py: under load, none is); DB_POOL_PRE_PING=0 tests none.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": _bool("DB_POOL_PRE_PING", True), "pool_recycle": 1800}
    DATABASE_PING_AFTER_IDLE_SECONDS = float(os.environ.get("DB_POOL_PING_AFTER_IDLE", "0.5"))
    REDIS_URL = os.environ.get("REDIS_URL") or None
    TIMEZONE = "Asia/Shanghai"
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    # How long staff may undo a merge of two accounts (app/person/merge): after it the rows that
    # moved have lived on the surviving account long enough that undoing would surprise its owner.
    ACCOUNT_MERGE_UNDO_DAYS = int(os.environ.get("ACCOUNT_MERGE_UNDO_DAYS", "30"))
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    LANGUAGES = ("zh_CN", "en")
    # Where uploaded files and finished print batches live (app/file_store): "database" (the
    # default: PostgreSQL, in 256 KB chunks, seen by every app machine and worker) or "path" (a
    # folder every machine mounts, FILE_STORE_PATH). `flask files migrate` moves the files of the
    # folders below (UPLOAD_DIR, PRIVATE_UPLOAD_DIR, CERTIFICATE_PRINT_DIR: where they lived before).
    FILE_STORE = os.environ.get("FILE_STORE") or "database"
    FILE_STORE_PATH = os.environ.get("FILE_STORE_PATH") or None
    UPLOAD_DIR = str(INSTANCE / "uploads")
    # Before the file store, private files (pitch decks, CVs, evidence) lived here; default
    # "<UPLOAD_DIR>-private". Read only by `flask files migrate`, as are UPLOAD_DIR and CERTIFICATE_PRINT_DIR.
    PRIVATE_UPLOAD_DIR = os.environ.get("PRIVATE_UPLOAD_DIR") or None
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    # The camp application form alone may carry a 10 MB pitch deck plus the form around it.
    MAX_PITCH_DECK_BYTES = 10 * 1024 * 1024
    MAX_PLAN_EVIDENCE_BYTES = 5 * 1024 * 1024  # a plan figure's evidence, PDF, image or XLSX (within MAX_CONTENT_LENGTH)
    MAX_CV_BYTES = 5 * 1024 * 1024  # a job seeker's CV at a fair (within MAX_CONTENT_LENGTH)
    MAX_APPLICATION_REQUEST_BYTES = 11 * 1024 * 1024
    MAX_IMAGE_BYTES = 5 * 1024 * 1024

    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    # Also the lifetime of the server-side sign-in row (accounts.services.start_session).
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Browsers that once saw the site over HTTPS never try plain HTTP again (a year).
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 86400)))
    PREFERRED_URL_SCHEME = "https"
    WTF_CSRF_TIME_LIMIT = None

    PRODUCTION = True
    # The join page of an online event says "still here" this often; each heartbeat counts at most
    # this interval and the grace since the one before (app.online.presence).
    ONLINE_HEARTBEAT_SECONDS = int(os.environ.get("ONLINE_HEARTBEAT_SECONDS", "60"))
    ONLINE_HEARTBEAT_GRACE_SECONDS = int(os.environ.get("ONLINE_HEARTBEAT_GRACE_SECONDS", "20"))
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or REDIS_URL or "memory://"
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "minhang")
    # A moving window: a paused account or address is free again exactly one period after its
    # oldest counted attempt, not at an arbitrary window boundary.
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_HEADERS_ENABLED = True
    # Gunicorn's own default for its worker count. Production refuses per-process (memory://)
    # rate limits unless this says there is exactly one process (app.rate_limit_storage_check).
    WEB_CONCURRENCY = os.environ.get("WEB_CONCURRENCY") or None
    # Proxies in front of the app that set X-Forwarded-For/-Proto (nginx: 1). 0 trusts none.
    PROXY_FIX_X_FOR = int(os.environ.get("PROXY_FIX_X_FOR") or 0)
    # Refused sign-ins (login, sign-up, API token) per client address; successes never count.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "100 per minute;1000 per hour")
    # Wrong passwords per account from any address, before sign-in to it pauses.
    LOGIN_ACCOUNT_RATE_LIMIT = os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "20 per 15 minutes")

    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "noreply@rencai.minhang.example")
    # Mail is sent from a thread after the request's commit; tests send inline.
    MAIL_SEND_ASYNC = True
    # Text messages: aliyun | tencent | none (then SMS stay "unsent", visible to admins).
    SMS_PROVIDER = (os.environ.get("SMS_PROVIDER") or "none").lower()
    SMS_ACCESS_KEY_ID = os.environ.get("SMS_ACCESS_KEY_ID") or None  # Aliyun
    SMS_ACCESS_KEY_SECRET = os.environ.get("SMS_ACCESS_KEY_SECRET") or None
    SMS_SECRET_ID = os.environ.get("SMS_SECRET_ID") or None  # Tencent
    SMS_SECRET_KEY = os.environ.get("SMS_SECRET_KEY") or None
    SMS_SDK_APP_ID = os.environ.get("SMS_SDK_APP_ID") or None
    SMS_REGION = os.environ.get("SMS_REGION") or "ap-guangzhou"
    SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME") or None
    SMS_ENDPOINT = os.environ.get("SMS_ENDPOINT") or None
    SMS_TEMPLATES = os.environ.get("SMS_TEMPLATES") or "{}"  # JSON: notice kind -> template code
    SMS_RECEIPT_TOKEN = os.environ.get("SMS_RECEIPT_TOKEN") or None  # secret in the receipt URL
    SMS_DAILY_CAP_PER_NUMBER = int(os.environ.get("SMS_DAILY_CAP_PER_NUMBER") or 10)
    # After a request's commit its SMS go to an RQ job on NOTIFICATIONS_QUEUE (REDIS_URL set), else
    # to a thread (SMS_SEND_ASYNC) or are sent inline; `flask sms send` sweeps what is left.
    SMS_SEND_AFTER_COMMIT = True
    SMS_SEND_ASYNC = True
    NOTIFICATIONS_QUEUE = os.environ.get("NOTIFICATIONS_QUEUE") or "notifications"
    # Without Redis, a development server sends due reminders from a thread every this many
    # seconds (0: never; production relies on RQ's scheduler and `flask reminders send`).
    REMINDERS_SWEEP_SECONDS = 0
    # 留在闵行 follow-up surveys (app/followups): months after a programme's end at which its people
    # are asked (a list, or a map of programme kind -> list: camp, traineeship, pitch); organisers
    # may choose other months for one programme. A survey is made on its due day or a later run of
    # `flask followups send` (daily cron) within FOLLOWUP_CATCH_UP_DAYS, answered within
    # FOLLOWUP_ANSWER_DAYS of sending, and an answer may be corrected for FOLLOWUP_EDIT_DAYS.
    FOLLOWUP_MONTHS = {"camp": [6, 12], "traineeship": [6, 12], "pitch": [6, 12]}
    FOLLOWUP_CATCH_UP_DAYS = int(os.environ.get("FOLLOWUP_CATCH_UP_DAYS") or 60)
    FOLLOWUP_ANSWER_DAYS = int(os.environ.get("FOLLOWUP_ANSWER_DAYS") or 60)
    FOLLOWUP_EDIT_DAYS = int(os.environ.get("FOLLOWUP_EDIT_DAYS") or 30)
    # Without Redis, a development server runs the daily job from a thread this often (0: never).
    FOLLOWUPS_SWEEP_SECONDS = 0
    # 感受度 surveys (app/satisfaction): sent to those who attended an occasion that ended in the last
    # SATISFACTION_CATCH_UP_DAYS (RQ's daily job, `flask satisfaction send`, or the console's "send
    # now"), answerable for SATISFACTION_ANSWER_DAYS; without Redis a development server sweeps from a
    # thread every SATISFACTION_SWEEP_SECONDS (0: never).
    SATISFACTION_CATCH_UP_DAYS = int(os.environ.get("SATISFACTION_CATCH_UP_DAYS") or 14)
    SATISFACTION_ANSWER_DAYS = int(os.environ.get("SATISFACTION_ANSWER_DAYS") or 14)
    SATISFACTION_SWEEP_SECONDS = 0
    # The privacy notice (/privacy) in force: a person whose latest consent is to another version is
    # asked again on their next page. Change it with the notice's text (templates/accounts/privacy_notice.html).
    PRIVACY_NOTICE_VERSION = os.environ.get("PRIVACY_NOTICE_VERSION") or "2026-12"
    # Personal data of participants inactive this many years after their last occasion is
    # anonymised by the daily retention job (app/person/rights/retention.py); 0 switches it off.
    RETENTION_YEARS = int(os.environ.get("RETENTION_YEARS") or 3)
    # Without Redis, the retention job runs from a thread this often (seconds; 0: never, e.g. tests;
    # with Redis, `flask rq worker` schedules it daily).
    RETENTION_SWEEP_SECONDS = int(os.environ.get("RETENTION_SWEEP_SECONDS") or 86400)
    # The plan's monthly report (app/plans/reports), due on the 1st at 08:00 in Shanghai: without
    # Redis a thread looks this often whether it is made (seconds; 0: never, e.g. tests; with Redis,
    # `flask rq worker` schedules it).
    REPORTS_SWEEP_SECONDS = int(os.environ.get("REPORTS_SWEEP_SECONDS") or 3600)
    # text (the default) or json: one JSON object a line, with the request id (app/json_logs.py).
    LOG_FORMAT = (os.environ.get("LOG_FORMAT") or "text").strip().lower()
    # Who may read /metrics (app/operations.py): client addresses after ProxyFix, as CIDRs; others
    # get a 404. METRICS_TOKEN, when set, must also come as "Authorization: Bearer <token>".
    METRICS_ALLOWED_NETWORKS = _list("METRICS_ALLOWED_NETWORKS") or ["127.0.0.1/32", "::1/128"]
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None
    # RQ queues whose waiting and failed jobs /metrics reports, besides NOTIFICATIONS_QUEUE.
    METRICS_RQ_QUEUES = _list("METRICS_RQ_QUEUES") or ["certificates", "reports"]
    # The Redis hash where every process (web, RQ work horses, CLI) adds up SMS and failed jobs.
    METRICS_REDIS_KEY = os.environ.get("METRICS_REDIS_KEY") or "minhang:metrics:events"
    # Without Redis, how often a web process fails the print batches and report runs whose thread
    # is gone (app/background.py; with Redis, every worker sweeps in its maintenance).
    BACKGROUND_SWEEP_SECONDS = int(os.environ.get("BACKGROUND_SWEEP_SECONDS") or 300)
    # How often RQ workers run their maintenance (one worker at a time, under RQ's lock): the
    # cleanup that retries or fails the job of a worker killed outright once its heartbeat (90 s)
    # has lapsed, then the sweep above. RQ's own default, 10 minutes (and an idle worker looks
    # only every 405 s), would leave a batch whose worker died waiting that long; the cleanup is a
    # few Redis commands.
    RQ_MAINTENANCE_SECONDS = int(os.environ.get("RQ_MAINTENANCE_SECONDS") or 60)
    SERVER_NAME = os.environ.get("SERVER_NAME") or None
    # Every absolute link (mails, tickets, certificates, API answers) is built on it; required in
    # production. TRUSTED_HOSTS (comma-separated) defaults to its host; other Hosts get a 400.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL") or None
    DEFAULT_PUBLIC_BASE_URL: str | None = None
    TRUSTED_HOSTS = _list("TRUSTED_HOSTS")
    LOCAL_HOSTS: tuple[str, ...] = ()
    API_PAGE_SIZE_MAX = 200
    # Finished batch prints (one PDF or ZIP per job) before the file store: for `flask files migrate`.
    CERTIFICATE_PRINT_DIR = os.environ.get("CERTIFICATE_PRINT_DIR") or str(INSTANCE / "prints")
    CERTIFICATE_SERIAL_PREFIX = "MH"
    # Processes that render one batch PDF in parallel chunks (default: the CPU cores, at most 4).
    CERTIFICATE_PRINT_PROCESSES = int(os.environ.get("CERTIFICATE_PRINT_PROCESSES") or 0) or None
    VERIFY_RATE_LIMIT = os.environ.get("VERIFY_RATE_LIMIT", "30 per minute;300 per hour")


class DevelopmentConfig(Config):
    PRODUCTION = False
    SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = "http"
    DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    HSTS_SECONDS = 0
    LOCAL_HOSTS = ("localhost", "127.0.0.1")
    REMINDERS_SWEEP_SECONDS = 60
    FOLLOWUPS_SWEEP_SECONDS = 3600
    SATISFACTION_SWEEP_SECONDS = 3600


class TestingConfig(Config):
    PRODUCTION = False
    TESTING = True
    SECRET_KEY = "test-secret"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    PREFERRED_URL_SCHEME = "http"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_KEY_PREFIX = "minhang-test"
    METRICS_REDIS_KEY = "minhang-test:metrics:events"  # never the real counts, should a test point at a real Redis
    LOGIN_RATE_LIMIT = "100000 per minute"  # the rate-limit tests set real ones
    LOGIN_ACCOUNT_RATE_LIMIT = "100000 per minute"
    RETENTION_SWEEP_SECONDS = 0
    REPORTS_SWEEP_SECONDS = 0
    BACKGROUND_SWEEP_SECONDS = 0
    MAIL_SEND_ASYNC = False
    MAIL_SERVER = None
    SMS_PROVIDER = "none"  # the SMS tests choose theirs
    SMS_SEND_AFTER_COMMIT = False  # the tests that need it turn it on
    SMS_SEND_ASYNC = False
    PUBLIC_BASE_URL = "http://localhost"  # fixed: tests compare links
    HSTS_SECONDS = 0
    TRUSTED_HOSTS = None
    LOCAL_HOSTS = ("localhost", "127.0.0.1")  # the browser tests' server listens on 127.0.0.1


CONFIGS = {
    "production": Config,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}
