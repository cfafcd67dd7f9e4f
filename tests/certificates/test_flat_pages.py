"""Every certificates page that lists rows issues as many statements at 200 rows as at 10 (issue 19):
a relationship read per row, in a service or a template, fails here rather than at a Talent Week."""
from __future__ import annotations

import contextlib
import itertools
import secrets
import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.certificates import services
from app.certificates.models import Certificate, CertificateTemplateVersion, PrintJob
from app.certificates.template_versions import FIELDS
from app.extensions import db
from app.timeutil import utcnow
from tests.conftest import login
from tests.fixtures.accounts import RARE_NAMES

_numbers = itertools.count()


@contextlib.contextmanager
def elsewhere():
    """A session of its own, committed: rows added through the test's session would expire what the
    page's requests have loaded (the signed-in user, the event) and the count at 200 would include
    reloading them."""
    with Session(db.engine, expire_on_commit=False) as session:
        yield session
        session.commit()


@pytest.fixture
def add_certificates(db_session, admin):
    """`add_certificates(n, subject_id=…, recipient=None)`: n certificates for an event, issued,
    revoked and reissued as on a real list (every fifth revoked, every seventh superseded), to new
    people or all to `recipient` (then each for a subject of its own); in bulk."""
    template = services.template_for_kind(services.default_kind("event"))
    version = services.current_version(template)
    db_session.commit()

    def _add(n: int, *, subject_id: int, recipient: User | None = None) -> None:
        with elsewhere() as session:
            _add_in(session, n, subject_id=subject_id, recipient=recipient)

    def _add_in(session, n: int, *, subject_id: int, recipient: User | None) -> None:
        people = [recipient] * n if recipient is not None else [
            User(name=RARE_NAMES[i % len(RARE_NAMES)], mobile=f"137{next(_numbers):08d}", password_hash="x")
            for i in range(n)]
        session.add_all([p for p in people if p is not recipient])
        session.flush()
        prefix = secrets.token_hex(4).upper()
        rows = []
        for i, person in enumerate(people):
            revoked = i % 5 == 4
            rows.append(Certificate(
                serial=f"MH-T{prefix}-{i:06d}", code=secrets.token_urlsafe(15), kind="attendance",
                subject_type="event", subject_id=subject_id if recipient is None else subject_id + i,
                recipient_id=person.id, recipient_name=person.name, title=version.title, programme="人才闵行周",
                held_on="2026年5月20日", issued_on=date.today() - timedelta(days=i % 30), issuer_name=services.BUREAU,
                template_id=template.id, template_version_id=version.id, issued_by_id=admin.id,
                revoked_at=utcnow() if revoked else None, revoke_reason="信息有误" if revoked else None,
                superseded_at=utcnow() if i % 7 == 6 else None))
        session.add_all(rows)

    return _add


@pytest.fixture
def event_with_attendees(create_attended_event, db_session):
    event, _came, _absent = create_attended_event(RARE_NAMES[:3], absent=1)
    db_session.commit()
    return event


def test_the_event_certificates_page_is_flat(client, admin, event_with_attendees, add_certificates, flat_in_rows):
    login(client, admin)
    event = event_with_attendees
    flat_in_rows(client, f"/console/certificates/events/{event.id}",
                 add=lambda n: add_certificates(n, subject_id=event.id))


def test_the_event_page_pages_and_counts_from_sql(client, admin, event_with_attendees, add_certificates):
    login(client, admin)
    event = event_with_attendees
    add_certificates(120, subject_id=event.id)
    first = client.get(f"/console/certificates/events/{event.id}").get_data(as_text=True)
    assert first.count("/console/certificates/") > 0 and first.count('<tr><td><a href="/console/certificates/') == 50
    assert "<b>120</b>" in first and "<b>3</b>" in first  # issued, checked in
    last = client.get(f"/console/certificates/events/{event.id}?page=3").get_data(as_text=True)
    assert last.count('<tr><td><a href="/console/certificates/') == 20


@pytest.mark.parametrize("url", ["/console/certificates/?event={event}", "/console/certificates/",
                                 "/console/certificates/?event={event}&status=valid&kind=attendance",
                                 "/console/certificates/?q=MH-T"])
def test_the_console_certificate_lists_are_flat(client, admin, event_with_attendees, add_certificates,
                                                flat_in_rows, url):
    login(client, admin)
    event = event_with_attendees
    flat_in_rows(client, url.format(event=event.id), add=lambda n: add_certificates(n, subject_id=event.id))


def test_the_print_jobs_list_is_flat(client, db_session, admin, flat_in_rows):
    login(client, admin)

    def add_jobs(n: int) -> None:
        with elsewhere() as session:
            session.add_all([PrintJob(id=uuid.uuid4().hex, status=("done", "failed", "queued")[i % 3], output="pdf",
                                      certificate_ids=[1, 2, 3], total=3, done=3 if i % 3 == 0 else 0,
                                      label="人才闵行周", created_by_id=admin.id) for i in range(n)])

    flat_in_rows(client, "/console/certificates/", add=add_jobs)


def test_a_persons_certificates_are_flat(client, create_user, add_certificates, flat_in_rows):
    person = create_user()
    login(client, person)
    subjects = itertools.count(10_000_000, 1000)
    flat_in_rows(client, "/me/certificates", add=lambda n: add_certificates(n, subject_id=next(subjects),
                                                                             recipient=person))


def test_the_templates_page_is_flat_in_template_versions(client, db_session, admin, flat_in_rows):
    """Each save appends a version: the templates page must not read them."""
    login(client, admin)
    template = services.ensure_templates()[0]
    db_session.commit()

    def add_versions(n: int) -> None:
        # Copies of the template as it stands, so the newest still matches it (issuing snapshots nothing).
        with elsewhere() as session:
            last = session.scalar(sa.select(sa.func.max(CertificateTemplateVersion.number))
                                  .where(CertificateTemplateVersion.template_id == template.id)) or 0
            session.add_all([CertificateTemplateVersion(template_id=template.id, number=last + 1 + i,
                                                        created_by_id=admin.id,
                                                        **{f: getattr(template, f) or "" for f in FIELDS})
                             for i in range(n)])

    flat_in_rows(client, "/console/certificates/templates", add=add_versions)
