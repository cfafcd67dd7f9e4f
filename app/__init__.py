"""Minhang talent events & training cohorts."""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from app import (background, cli, column_limits, cookie_sessions, database_liveness, inputs, jinja, jobs, json_logs,
                 language, metrics, operations, request_id, security_headers, urls)
from app.accounts.blueprint import bp as accounts_bp
from app.admin.blueprint import bp as admin_bp
from app.api.blueprint import bp as api_bp
from app.calendars.blueprint import bp as calendars_bp
from app.certificates.blueprint import bp as certificates_bp
from app.certificates.blueprint import public as verify_bp
from app.checkin.blueprint import bp as checkin_bp
from app.cohorts.blueprint import bp as cohorts_bp
from app.cohorts.selection.views import allow_pitch_decks
from app.competitions.blueprint import bp as competitions_bp
from app.followups.blueprint import bp as followups_bp
from app.plans.blueprint import bp as plans_bp
from app.satisfaction.blueprint import bp as satisfaction_bp
from app.pitch.blueprint import bp as pitch_bp
from app.person.merge.blueprint import bp as merge_bp
from app.person.rights.blueprint import bp as rights_bp
from app.person.rights import retention
from app.config import CONFIGS, INSTANCE, ROOT
from app.event_pages.blueprint import bp as events_bp
from app.event_pages.blueprint import console as console_bp
from app.extensions import babel, csrf, db, limiter, login_manager, migrate
from app.main.errors import init_app as init_errors
from app.main.blueprint import bp as main_bp
from app.notifications.blueprint import bp as inbox_bp
from app.notifications.blueprint import sms as sms_bp
from app.privacy import RateLimitKeyFilter
from app.online.blueprint import beat as online_beat_bp
from app.online.blueprint import bp as online_bp
from app.organisation_pages.blueprint import bp as organisation_pages_bp
from app.person.record.blueprint import bp as record_bp
from app.organisations.blueprint import bp as organisations_bp
from app.person.code.blueprint import bp as person_code_bp
from app.registrations.blueprint import bp as registrations_bp
from app.reminders import services as reminders
from app.followups import sending as followup_sending
from app.satisfaction import sending as satisfaction_sending
from app.plans.reports import services as plan_reports
from app.rosters.blueprint import bp as rosters_bp
from app.mentoring.blueprint import bp as mentoring_bp
from app.studios.views import bp as studios_bp
from app.tickets.blueprint import bp as tickets_bp
from app.traineeships.blueprint import bp as traineeships_bp
from app.jobfairs.blueprint import bp as jobfairs_bp

# Every model module, so that Alembic and create_all see the whole schema.
from app.accounts import models as _accounts_models  # noqa: F401
from app.accounts import consents as _consents_models  # noqa: F401
from app import transitions as _transitions  # noqa: F401  (status_changes)
from app.audit import models as _audit_models  # noqa: F401
from app.certificates import models as _certificates_models  # noqa: F401
from app.checkin import models as _checkin_models  # noqa: F401
from app.cohorts import models as _cohorts_models  # noqa: F401
from app.cohorts.camps import models as _camps_models  # noqa: F401
from app.cohorts.lessons import models as _lessons_models  # noqa: F401
from app.competitions import models as _competitions_models  # noqa: F401
from app.followups import models as _followups_models  # noqa: F401
from app.satisfaction import models as _satisfaction_models  # noqa: F401
from app.events import models as _events_models  # noqa: F401
from app.notifications import models as _notifications_models  # noqa: F401
from app.notifications.sms import models as _sms_models  # noqa: F401
from app.online import models as _online_models  # noqa: F401
from app.person.record import models as _record_models  # noqa: F401
from app.organisations import models as _organisations_models  # noqa: F401
from app.organisations import employees as _employees_models  # noqa: F401
from app.registrations import models as _registrations_models  # noqa: F401
from app.reminders import models as _reminders_models  # noqa: F401
from app.rosters import models as _rosters_models  # noqa: F401
from app.mentoring import models as _mentoring_models  # noqa: F401
from app.pitch import models as _pitch_models  # noqa: F401
from app.studios import models as _studios_models  # noqa: F401
from app.plans import models as _plans_models  # noqa: F401
from app.plans.reports import models as _plan_reports_models  # noqa: F401
from app.tickets import models as _tickets_models  # noqa: F401
from app.traineeships import models as _traineeships_models  # noqa: F401
from app.jobfairs import models as _jobfairs_models  # noqa: F401
from app.person.rights import models as _rights_models  # noqa: F401


def create_app(config: str | None = None, **overrides) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE), instance_relative_config=False,
                template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    app.config.from_object(CONFIGS[config or os.environ.get("APP_ENV", "production")])
    app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in production (or use APP_ENV=development)")
    _check_rate_limit_storage(app)
    urls.configure(app)
    _configure_logging(app)
    _configure_database(app)

    db.init_app(app)
    _test_connections_before_use(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=language.select_locale, timezone_selector=lambda: "Asia/Shanghai")
    language.init_app(app)
    limiter.init_app(app)
    _guard_input(app)
    _reminders(app)

    for bp in (main_bp, accounts_bp, events_bp, registrations_bp, tickets_bp, calendars_bp,
               console_bp, checkin_bp, cohorts_bp, studios_bp, competitions_bp, pitch_bp, certificates_bp,
               verify_bp, organisations_bp, organisation_pages_bp, traineeships_bp, jobfairs_bp, rosters_bp,
               mentoring_bp, merge_bp, admin_bp, api_bp, inbox_bp, sms_bp, online_bp, online_beat_bp, followups_bp,
               satisfaction_bp, rights_bp, person_code_bp, record_bp, plans_bp):
        app.register_blueprint(bp)
    csrf.exempt(api_bp)
    cookie_sessions.init_app(app, api_bp.url_prefix)  # the API, token-authenticated, has no cookie session
    csrf.exempt(online_beat_bp)  # the join token in the path is the credential, not a cookie
    csrf.exempt(sms_bp)  # the provider posts receipts; the secret in the URL stands in for a session
    # Before CSRF protection reads the body: the camp application form takes larger uploads.
    app.before_request_funcs.setdefault(None, []).insert(0, allow_pitch_decks)
    jinja.init_app(app)
    security_headers.init_app(app)
    cli.init_app(app)
    metrics.init_app(app)
    request_id.init_app(app)  # after metrics: its hook goes first, so every other one's log lines carry the id
    operations.init_app(app)  # inside ProxyFix, which wraps it next
    _trust_proxies(app)
    init_errors(app)
    return app


def _check_rate_limit_storage(app: Flask) -> None:
    """In-memory limits are per process: with several gunicorn workers each would keep its own
    count (a limit of 10 becomes 10 per worker). Production needs shared storage (REDIS_URL)
    unless WEB_CONCURRENCY=1 declares a single process."""
    uri = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if not app.config.get("PRODUCTION") or not app.config.get("RATELIMIT_ENABLED") or not uri.startswith("memory://"):
        return
    if str(app.config.get("WEB_CONCURRENCY") or "").strip() != "1":
        raise RuntimeError(
            "Rate limits in memory are per process: set REDIS_URL (or RATELIMIT_STORAGE_URI) so that "
            "all workers share them, or WEB_CONCURRENCY=1 to run a single worker")


def _trust_proxies(app: Flask) -> None:
    # Behind nginx every request comes from the proxy's address; without this, rate limits
    # would put every user in one bucket. Only as many hops as configured are believed, so a
    # client cannot pick its own address by sending X-Forwarded-For.
    hops = int(app.config.get("PROXY_FIX_X_FOR") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _guard_input(app: Flask) -> None:
    # Before any blueprint adds its rules, so that every `<int:id>` gets the bounded converter.
    app.url_map.converters["int"] = inputs.BoundedIntConverter
    app.before_request(inputs.refuse_control_characters)
    column_limits.init_app()


def _reminders(app: Flask) -> None:
    reminders.install()  # reminders follow registrations, events and sessions (see its docstring)
    # Without Redis (development), the due and daily jobs run from threads of the web process.
    sweepers = [("REMINDERS_SWEEP_SECONDS", reminders.send_due, "reminders-sweep"),
                ("FOLLOWUPS_SWEEP_SECONDS", followup_sending.send_due, "followups-sweep"),
                ("SATISFACTION_SWEEP_SECONDS", satisfaction_sending.send_due, "satisfaction-sweep"),
                ("RETENTION_SWEEP_SECONDS", retention.scheduled, "privacy-retention"),
                ("REPORTS_SWEEP_SECONDS", plan_reports.monthly_reports, "plan-reports-monthly"),
                ("BACKGROUND_SWEEP_SECONDS", background.sweep, "background-sweep")]
    if not app.config.get("REDIS_URL") and any(app.config.get(setting) for setting, _f, _n in sweepers):
        @app.before_request
        def _start_sweepers():
            for setting, func, name in sweepers:
                jobs.dev_sweeper(app, setting, func, name)


def _configure_logging(app: Flask) -> None:
    root = logging.getLogger()
    handler = next((h for h in root.handlers if getattr(h, "_minhang", False)), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stdout)
        handler._minhang = True
        handler.addFilter(json_logs.RequestFilter())
        root.addHandler(handler)
    # The last app built decides (one per process outside the tests).
    if app.config.get("LOG_FORMAT") == "json":
        handler.setFormatter(json_logs.JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
    # WeasyPrint logs each page it lays out: certificate rendering counts those lines for its
    # progress bars (rendering._PageCounter); in the log they would be one line per page.
    progress = logging.getLogger("weasyprint.progress")
    progress.setLevel(logging.INFO)
    progress.propagate = False
    logging.getLogger("pikepdf").setLevel(logging.WARNING)
    # Statements and their values are logged at INFO: never, whatever LOG_LEVEL says.
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    limits = logging.getLogger("flask-limiter")
    if not any(isinstance(f, RateLimitKeyFilter) for f in limits.filters):
        limits.addFilter(RateLimitKeyFilter())
    app.logger.handlers.clear()
    app.logger.propagate = True


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _configure_database(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    # An error's text would otherwise carry the bound values (mobile numbers, ID numbers, password
    # hashes) into the log; SQL echo would log every one of them.
    options["hide_parameters"] = True
    app.config["SQLALCHEMY_ECHO"] = False
    if uri.startswith("sqlite"):
        INSTANCE.mkdir(parents=True, exist_ok=True)
        # Writers queue for the lock instead of failing at once.
        options.setdefault("connect_args", {}).setdefault("timeout", 30)
        if not event.contains(Engine, "connect", _sqlite_pragmas):  # once, however many apps are built
            event.listen(Engine, "connect", _sqlite_pragmas)
    else:
        options.setdefault("pool_size", int(os.environ.get("DB_POOL_SIZE", "10")))
        options.setdefault("max_overflow", int(os.environ.get("DB_MAX_OVERFLOW", "20")))
        # Tested after an idle spell instead of before every use (_test_connections_before_use).
        app.config["DATABASE_PING"] = bool(options.pop("pool_pre_ping", False))
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _test_connections_before_use(app: Flask) -> None:
    if app.config.get("DATABASE_PING"):
        with app.app_context():
            database_liveness.install(db.engine, app.config["DATABASE_PING_AFTER_IDLE_SECONDS"])
