"""The production test's data, made with the app's own services on the private cluster: the schema
by migrations, an admin (certificates), an organiser (check-in scanner), an event with few places for
the registrations, an event under way with confirmed tickets for the scans, participants with API
tokens, and issued certificates for the batch print."""
from __future__ import annotations

import contextlib
import io
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_migrate import upgrade
from werkzeug.security import generate_password_hash

from app import create_app
from app.accounts import consents
from app.accounts import services as accounts
from app.accounts.models import User
from app.certificates import services as certificates
from app.certificates.models import CertificateKind
from app.checkin.services import event_checkpoint
from app.events.models import Event
from app.extensions import db
from app.lifecycle import services as lifecycle
from app.registrations.models import Registration
from app.tickets.services import ticket_token
from app.timeutil import utcnow

PASSWORD = "production-test-1"
ADMIN_LOGIN = "admin@production-test.invalid"
CAPACITY = 25


def build(overrides: dict, *, participants: int, tickets: int, certificates_count: int) -> dict:
    app = create_app("production", **overrides)
    with app.test_request_context():  # notices ask for the locale of a request
        with contextlib.redirect_stderr(io.StringIO()):  # alembic's INFO lines
            upgrade()
        depts = {d.code: d for d in accounts.ensure_departments()}
        admin = accounts.create_user(login=ADMIN_LOGIN, password=PASSWORD, role="admin", name="测试管理员")
        consents.record(admin)  # else its first page would be the privacy notice
        organiser = accounts.create_user(login="scanner@production-test.invalid", password=PASSWORD,
                                         role="organiser", name="签到志愿者", departments=["talent_center"])
        starts = utcnow().replace(microsecond=0) + timedelta(minutes=30)  # check-in open from 2 h before
        common = dict(kind="job_fair", department_id=depts["talent_center"].id, venue="闵行区人才服务中心",
                      address="上海市闵行区", status="published")
        limited = lifecycle.create_event(organiser, title="人才闵行周 限额报名", capacity=CAPACITY,
                                         starts_at=starts + timedelta(days=2), ends_at=starts + timedelta(days=2, hours=3),
                                         **common)
        door = lifecycle.create_event(organiser, title="人才闵行周 现场签到", capacity=tickets,
                                      starts_at=starts, ends_at=starts + timedelta(hours=8), **common)
        db.session.flush()
        checkpoint = event_checkpoint(door).id

        password_hash = generate_password_hash(PASSWORD)
        rows = [{"name": f"参会者{i:04d}", "mobile": f"136{i:08d}", "password_hash": password_hash,
                 "employer": "production-test", "active": True} for i in range(participants + tickets)]
        ids = db.session.execute(User.__table__.insert().returning(User.__table__.c.id, sort_by_parameter_order=True),
                                 rows).scalars().all()
        registering, attending = ids[:participants], ids[participants:]
        now = utcnow()
        db.session.execute(Registration.__table__.insert(), [
            {"event_id": door.id, "user_id": uid, "status": "confirmed", "created_at": now, "queued_at": now,
             "status_changed_at": now, "ticket_secret": secrets.token_urlsafe(24), "ticket_generation": 1}
            for uid in attending])
        db.session.execute(sa.update(Event).where(Event.id == door.id).values(confirmed_count=len(attending)))
        db.session.flush()
        regs = db.session.scalars(sa.select(Registration).where(Registration.event_id == door.id)
                                  .order_by(Registration.id)).all()
        signed = [(r.id, ticket_token(r)) for r in regs]
        tokens = [accounts.issue_api_token(db.session.get(User, uid)) for uid in registering]
        scanner_token = accounts.issue_api_token(organiser)

        recipients = [certificates.Recipient(user=r.user) for r in regs[:certificates_count]]
        issued = certificates.issue(admin, certificates.event_subject(door), CertificateKind.ATTENDANCE, recipients)
        upload_template = certificates.template_for_kind(CertificateKind.COMPLETION)
        template_fields = {"name": upload_template.name, "title": upload_template.title,
                           "html": upload_template.html, "css": upload_template.css,
                           "page_size": upload_template.page_size, "signatory": upload_template.signatory or ""}
        data = {"limited_event": limited.id, "door_event": door.id, "checkpoint": checkpoint, "tickets": signed,
                "participant_tokens": tokens, "scanner_token": scanner_token,
                "certificate_ids": [c.id for c in issued.issued], "upload_template": upload_template.id,
                "template_fields": template_fields}
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return data
