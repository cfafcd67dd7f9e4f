"""Certificates: sandbox, issuing, serials under concurrency, revocation and reissue, verification."""
from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from app.certificates import rendering, services
from app.certificates.models import Certificate, CertificateKind, CertificateTemplate
from app.errors import Conflict, InvalidInput, PermissionDenied
from tests.conftest import login
from tests.fixtures.accounts import RARE_NAMES


@pytest.fixture
def issued(db_session, admin, create_attended_event):
    event, came, absent = create_attended_event(RARE_NAMES[:3], absent=2)
    result = services.issue_for_attendance(admin, event)
    db_session.commit()
    return event, came, absent, result.issued


# -- the template sandbox -------------------------------------------------------
def _render(db_session, html: str) -> str:
    template = CertificateTemplate(kind="completion", title="结业证书", html=html, css="", page_size="A4 landscape")
    return rendering.render_body(template, rendering.sample_context(template))


@pytest.mark.parametrize("payload", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ recipient_name.__class__.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{% set x = [] %}{{ x.append(1) }}",
    "{{ range.__self__ }}",
])
def test_sandbox_refuses_anything_outside_the_context(app, db_session, payload):
    try:
        out = _render(db_session, payload)
    except InvalidInput as exc:
        assert exc.code == "template_error"
        return
    # rendered without error: then it must have produced nothing from outside the context
    assert "class" not in out and "os" not in out and "uid=" not in out and "function" not in out


def test_sandbox_has_no_config_request_or_helpers(app, db_session):
    out = _render(db_session, "[{{ config }}][{{ request }}][{{ g }}][{{ url_for }}][{{ session }}][{{ namespace }}]")
    assert out == "[][][][][][]"
    with pytest.raises(InvalidInput, match="config"):  # no Flask config, hence no secret key
        _render(db_session, "{{ config.SECRET_KEY }}")


def test_context_values_are_escaped(app, db_session):
    assert _render(db_session, "{{ recipient_name }}") == "张玥"
    template = CertificateTemplate(kind="award", title="获奖证书", html="<b>{{ recipient_name }}</b>", css="",
                                   page_size="A4 landscape")
    context = dict(rendering.sample_context(template), recipient_name="<script>alert(1)</script>")
    assert rendering.render_body(template, context) == "<b>&lt;script&gt;alert(1)&lt;/script&gt;</b>"


def test_pdf_loads_only_data_uris_and_stored_images(app, ctx, db_session, tmp_path):
    from pathlib import Path

    from app import file_store

    inside = Path(app.config["UPLOAD_DIR"], "seal-test.png")
    inside.write_bytes(b"png")  # a file where images lived before the store: no longer loadable
    fetch = rendering._fetcher()
    for url in ("file:///etc/hostname", "http://127.0.0.1:9/x.css", "https://example.com/seal.png",
                f"file://{Path(app.config['UPLOAD_DIR']).parent}/secret.txt",
                f"file://{app.config['UPLOAD_DIR']}/../../etc/passwd", inside.as_uri()):
        with pytest.raises(ValueError):
            fetch(url)
    assert fetch("data:text/plain;base64,aGk=").read() == b"hi"
    file_store.put("seal-test.png", b"png", file_store.IMAGE)
    assert fetch(rendering.upload_url("seal-test.png")).read() == b"png"


def test_broken_template_is_never_saved(app, db_session, admin):
    template = services.template_for_kind(CertificateKind.COMPLETION)
    db_session.commit()
    before = template.html
    with pytest.raises(InvalidInput):
        services.save_template(admin, template, name="x", title="结业证书", html="{% if %}", css="",
                               page_size="A4 landscape")
    db_session.rollback()
    with pytest.raises(InvalidInput):
        services.save_template(admin, template, name="x", title="结业证书", html="{{ ''.__class__.__mro__ }}",
                               css="", page_size="A4 landscape")
    db_session.rollback()
    db_session.refresh(template)
    assert template.html == before


def test_default_templates_are_whole_documents(app):
    """The shipped designs are the shared frame with each kind's wording in it: what is copied
    into the template row is complete, with no slot left and nothing of another kind."""
    sources = {kind: services.default_source(kind)[0] for kind in CertificateKind}
    for kind, html in sources.items():
        assert services.WORDING_SLOT not in html
        assert html.startswith('<div class="cert-frame">') and html.endswith("</div></div>\n")
        assert html.count('class="cert-name"') == 1 and "证书编号：{{ serial }}" in html
        rendering.check_template(html)
    assert len(set(sources.values())) == len(sources)


def test_chinese_date():
    from datetime import date

    assert rendering.date_cn(date(2026, 5, 8)) == "二〇二六年五月八日"
    assert rendering.date_cn(date(2030, 10, 31)) == "二〇三〇年十月三十一日"
    assert rendering.date_cn(date(2026, 12, 20)) == "二〇二六年十二月二十日"


# -- issuing --------------------------------------------------------------------
def test_attendance_issues_only_to_those_who_checked_in(db_session, issued, admin):
    event, came, absent, certs = issued
    assert [c.recipient_id for c in certs] == [u.id for u in came]
    assert [c.recipient_name for c in certs] == list(RARE_NAMES[:3])
    assert all(re.fullmatch(r"MH-\d{4}-CH-\d{6}", c.serial) for c in certs)
    numbers = [int(c.serial[-6:]) for c in certs]
    assert numbers == list(range(numbers[0], numbers[0] + 3))
    assert len({c.code for c in certs}) == 3 and all(len(c.code) >= 20 for c in certs)
    assert {c.subject_type for c in certs} == {"event"} and {c.subject_id for c in certs} == {event.id}
    assert all(c.issuer_department_id == event.department_id and c.title == "参会证明" for c in certs)
    # a second run skips everyone who already holds one; absentees are never included
    again = services.issue_for_attendance(admin, event)
    assert again.issued == [] and {u.id for u in again.skipped} == {u.id for u in came}
    absent_ids = {u.id for u in absent}
    assert not db_session.scalar(sa.select(sa.func.count()).where(Certificate.recipient_id.in_(absent_ids)))


def test_name_is_a_snapshot(db_session, issued):
    _, came, _, certs = issued
    came[0].name = "改名"
    db_session.commit()
    db_session.refresh(certs[0])
    assert certs[0].recipient_name == RARE_NAMES[0]


def test_generic_subject_contract(db_session, create_user, departments, admin):
    """What cohorts (issue 4) and competitions (issue 6) will call: any subject type."""
    winner, second = create_user(name="赵赟"), create_user(name="王堃")
    subject = services.Subject("competition", 7, "2026年闵行区职业技能竞赛", "2026年9月", departments["skills"])
    result = services.issue(admin, subject, CertificateKind.AWARD,
                            [services.Recipient(winner, award="一等奖"), services.Recipient(second, award="二等奖"),
                             services.Recipient(winner, award="重复")])
    db_session.commit()
    assert [(c.recipient_name, c.award, c.subject_type) for c in result.issued] == [
        ("赵赟", "一等奖", "competition"), ("王堃", "二等奖", "competition")]
    assert all(c.serial.startswith("MH-") and "-HJ-" in c.serial for c in result.issued)


def test_organiser_issues_only_for_own_department(db_session, create_user, departments, create_event):
    organiser = create_user("organiser", department="employment")
    subject = services.Subject("cohort", 1, "创业孵化营", "2026年", departments["talent_center"])
    with pytest.raises(PermissionDenied):
        services.issue(organiser, subject, "completion", [services.Recipient(create_user())])
    with pytest.raises(PermissionDenied):
        services.issue(create_user(), subject, "completion", [services.Recipient(create_user())])
    with pytest.raises(InvalidInput):
        services.issue(create_user("admin"), subject, "diploma", [])


@pytest.mark.concurrency
def test_concurrent_batches_never_share_a_serial(app, db_session, create_user, departments, admin):
    from tests.racing import race

    people = [create_user() for _ in range(24)]
    admin_id, user_ids, dept_id = admin.id, [u.id for u in people], departments["talent_center"].id

    def batch(n):
        from app.accounts.models import Department, User
        from app.extensions import db

        actor = db.session.get(User, admin_id)
        subject = services.Subject("event", 1000 + n, f"活动{n}", "2026年", db.session.get(Department, dept_id))
        users = [db.session.get(User, i) for i in user_ids[n * 4:(n + 1) * 4]]
        return [c.serial for c in services.issue(actor, subject, "completion",
                                                 [services.Recipient(u) for u in users]).issued]

    results, errors = race(app, batch, range(6), workers=6)
    assert errors == []
    serials = [s for batch_serials in results for s in batch_serials]
    assert len(serials) == 24 and len(set(serials)) == 24
    assert sorted(int(s[-6:]) for s in serials) == list(range(1, 25))
    # each batch got one contiguous run: the counter was held for the whole batch
    for batch_serials in results:
        numbers = [int(s[-6:]) for s in batch_serials]
        assert numbers == list(range(numbers[0], numbers[0] + 4))


@pytest.mark.concurrency
def test_concurrent_issues_to_the_same_people_issue_once(app, db_session, create_user, departments, admin):
    from tests.racing import race

    people = [create_user() for _ in range(5)]
    admin_id, user_ids, dept_id = admin.id, [u.id for u in people], departments["talent_center"].id

    def same_batch(_):
        from app.accounts.models import Department, User
        from app.extensions import db

        subject = services.Subject("cohort", 3, "创业成长营", "2026年", db.session.get(Department, dept_id))
        return len(services.issue(db.session.get(User, admin_id), subject, "completion",
                                  [services.Recipient(db.session.get(User, i)) for i in user_ids]).issued)

    results, errors = race(app, same_batch, range(4), workers=4)
    assert errors == [] and sorted(results) == [0, 0, 0, 5]


# -- revocation and reissue -----------------------------------------------------
def test_revoke_needs_a_reason_and_keeps_the_record(db_session, issued, admin):
    cert = issued[3][0]
    with pytest.raises(InvalidInput):
        services.revoke(admin, cert, "  ")
    services.revoke(admin, cert, "信息有误")
    db_session.commit()
    assert cert.status.value == "revoked" and cert.revoke_reason == "信息有误"
    with pytest.raises(Conflict):
        services.revoke(admin, cert, "again")
    assert db_session.get(Certificate, cert.id) is not None


def test_reissue_supersedes_with_new_serial_and_code(db_session, issued, admin):
    old = issued[3][1]
    new = services.reissue(admin, old, name="李喆（更正）")
    db_session.commit()
    assert new.version == 2 and new.supersedes_id == old.id
    assert new.serial != old.serial and new.code != old.code and new.recipient_name == "李喆（更正）"
    assert old.status.value == "superseded" and new.status.value == "valid"
    with pytest.raises(Conflict):
        services.reissue(admin, old)
    assert "李喆（更正）" not in str(services.verification(old))  # the correction is not public


# -- public verification --------------------------------------------------------
def test_verification_states(app, db_session, issued, admin):
    valid, revoked, superseded = issued[3]
    services.revoke(admin, revoked, "作废")
    services.reissue(admin, superseded)
    db_session.commit()
    visitor = app.test_client()

    page = visitor.get(f"/verify/{valid.code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "verify-valid" in html
    assert "张*" in html and "张玥" not in html and valid.serial in html and "参会证明" in html

    html = visitor.get(f"/verify/{revoked.code}").get_data(as_text=True)
    assert "verify-revoked" in html and "verify-valid" not in html and "作废" not in html  # no reason shown
    assert re.search(r"\d{4}-\d{2}-\d{2}", html)

    html = visitor.get(f"/verify/{superseded.code}").get_data(as_text=True)
    assert "verify-superseded" in html and "verify-valid" not in html

    missing = visitor.get("/verify/not-a-real-code")
    assert missing.status_code == 404 and "verify-not_found" in missing.get_data(as_text=True)

    body = visitor.get(f"/verify/{valid.code}.json").get_json()
    assert body["state"] == "valid" and body["recipient"] == "张*" and body["serial"] == valid.serial
    assert visitor.get(f"/verify/{revoked.code}.json").get_json()["state"] == "revoked"
    api = visitor.get(f"/api/v1/certificates/verify/{superseded.code}")
    assert api.get_json()["state"] == "superseded"
    assert visitor.get("/api/v1/certificates/verify/nope").get_json() == {"state": "not_found"}


def test_verification_reveals_only_masked_name_title_date_and_status(app, db_session, issued, admin):
    """Issue 11, finding 13: serials are sequential, so whatever one verification answer shows,
    anyone can collect for every certificate."""
    event, came = issued[0], issued[1]
    valid, revoked, superseded = issued[3]
    services.revoke(admin, revoked, "学员冒名顶替参会")
    successor = services.reissue(admin, superseded, name="李喆（更正）")
    db_session.commit()
    visitor = app.test_client()
    private = [event.title, event.department.name, valid.programme, valid.issuer_name, valid.recipient_name,
               "学员冒名顶替参会", successor.serial, "李喆（更正）"]
    private += [person.mobile for person in came] + [person.name for person in came]
    private = [value for value in private if value and value not in (valid.title,)]
    expected = {"state", "serial", "title", "recipient", "issued_on", "revoked_on", "superseded_on"}
    for cert in (valid, revoked, superseded):
        for url in (f"/verify/{cert.code}", f"/verify/{cert.code}.json", f"/api/v1/certificates/verify/{cert.code}"):
            response = visitor.get(url)
            assert response.status_code == 200
            text = response.get_data(as_text=True)
            if response.is_json:
                text = json.dumps(response.get_json(), ensure_ascii=False)
                assert set(response.get_json()) == expected
            leaked = [value for value in private if value in text]
            assert not leaked, (url, leaked)


def test_lookup_by_typed_serial(app, issued):
    cert = issued[3][0]
    visitor = app.test_client()
    response = visitor.get("/verify", query_string={"q": " " + cert.serial.lower() + " "})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/verify/{cert.code}")
    assert visitor.get(f"/verify/{cert.serial}").headers["Location"].endswith(f"/verify/{cert.code}")
    nothing = visitor.get("/verify", query_string={"q": "MH-2026-CH-999999"})
    assert nothing.status_code == 404


def test_never_valid_when_the_register_cannot_be_read(app, issued, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def broken(_text):
        raise OperationalError("SELECT", {}, Exception("connection refused"))

    monkeypatch.setattr(services, "find_for_verification", broken)
    visitor = app.test_client()
    page = visitor.get(f"/verify/{issued[3][0].code}")
    assert page.status_code == 503 and "verify-valid" not in page.get_data(as_text=True)
    body = visitor.get(f"/verify/{issued[3][0].code}.json")
    assert body.status_code == 503 and body.get_json()["state"] == "unavailable"


def test_verification_is_rate_limited(app, issued, monkeypatch):
    monkeypatch.setitem(app.config, "VERIFY_RATE_LIMIT", "3 per minute")
    visitor = app.test_client()
    codes = [visitor.get(f"/verify/guess-{n}", environ_base={"REMOTE_ADDR": "10.9.8.7"}).status_code
             for n in range(5)]
    assert codes[:3] == [404, 404, 404] and codes[3:] == [429, 429]


# -- participants and the console -----------------------------------------------
def test_participant_sees_and_downloads_only_own(app, issued):
    _, came, _, certs = issued
    owner = app.test_client()
    login(owner, came[0])
    html = owner.get("/me/certificates").get_data(as_text=True)
    assert certs[0].serial in html and certs[1].serial not in html
    response = owner.get(f"/me/certificates/{certs[0].id}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert owner.get(f"/me/certificates/{certs[1].id}.pdf").status_code == 404
    assert app.test_client().get(f"/me/certificates/{certs[0].id}.pdf").status_code == 302  # to login


def test_console_revoke_and_reissue(app, db_session, issued, admin):
    cert = issued[3][0]
    client = app.test_client()
    login(client, admin)
    assert client.post(f"/console/certificates/{cert.id}/revoke", data={"reason": ""}).status_code == 302
    db_session.refresh(cert)
    assert cert.revoked_at is None  # no reason: nothing changed
    client.post(f"/console/certificates/{cert.id}/revoke", data={"reason": "重复发放"})
    db_session.refresh(cert)
    assert cert.revoke_reason == "重复发放"
    response = client.post(f"/console/certificates/{cert.id}/reissue", data={"name": "张玥"})
    new = db_session.scalar(sa.select(Certificate).where(Certificate.supersedes_id == cert.id))
    assert response.headers["Location"].endswith(f"/console/certificates/{new.id}")


def test_console_issue_from_event_page(app, db_session, create_user, create_attended_event):
    organiser = create_user("organiser")
    event, came, _ = create_attended_event(["周〇", "吴喆"], absent=1)
    client = app.test_client()
    login(client, organiser)
    assert client.post(f"/console/certificates/events/{event.id}", data={"kind": "attendance", "confirm": "1"}).status_code == 302
    html = client.get(f"/console/certificates/events/{event.id}").get_data(as_text=True)
    assert "周〇" in html and "吴喆" in html and "MH-" in html
    other = create_user("organiser", department="employment")
    client2 = app.test_client()
    login(client2, other)
    assert client2.get(f"/console/certificates/events/{event.id}").status_code == 403
    assert client2.post(f"/console/certificates/events/{event.id}", data={"kind": "attendance"}).status_code == 403


def test_audit_rows_for_issue_revoke_and_downloads(app, db_session, issued, admin):
    from app.audit.models import AuditEntry

    cert = issued[3][0]
    client = app.test_client()
    login(client, admin)
    assert client.get(f"/console/certificates/{cert.id}.pdf").data.startswith(b"%PDF")
    actions = set(db_session.scalars(sa.select(AuditEntry.action)))
    assert {"certificates.issued", "certificates.downloaded"} <= actions


def test_another_departments_certificates_are_refused_by_id(app, db_session, issued, create_user):
    """Issue 11, finding 1 (ids from the client): an organiser of another department posting
    the ids of 区人才中心's certificates or event to revoke, reissue, download, print or issue
    gets 403 (or nothing selected), and nothing changes."""
    from app.certificates.models import PrintJob

    event, came, _absent, certs = issued
    cert = certs[0]
    client = app.test_client()
    login(client, create_user("organiser", department="skills"))
    assert client.get(f"/console/certificates/{cert.id}").status_code == 403
    assert client.get(f"/console/certificates/{cert.id}.pdf").status_code == 403
    assert client.post(f"/console/certificates/{cert.id}/revoke", data={"reason": "冒名"}).status_code == 403
    assert client.post(f"/console/certificates/{cert.id}/reissue", data={"name": "改名"}).status_code == 403
    assert client.post(f"/console/certificates/events/{event.id}", data={"kind": "attendance", "confirm": "1"}).status_code == 403
    printed = client.post("/console/certificates/print", data={"ids": [str(c.id) for c in certs], "output": "pdf"})
    assert printed.status_code in (302, 403)
    listing = client.get(f"/console/certificates/?event={event.id}").get_data(as_text=True)
    assert cert.serial not in listing
    db_session.expire_all()
    assert cert.revoked_at is None and cert.recipient_name == came[0].name
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == len(certs)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PrintJob)) == 0


def test_event_page_defaults_to_attendance_and_confirms_count_and_kind(app, db_session, create_user,
                                                                       create_attended_event):
    """Issue 12, defect 4: on an event's certificate page the kind defaulted to 结业证书 and one
    click issued them to every attendee. The default is 参会证明; the first POST only shows how
    many of which kind will be made; only the confirmed POST issues."""
    from app.certificates.services import DEFAULT_KINDS

    assert DEFAULT_KINDS == {"event": CertificateKind.ATTENDANCE, "cohort": CertificateKind.COMPLETION,
                             "competition": CertificateKind.AWARD}
    organiser = create_user("organiser")
    event, came, _ = create_attended_event(["周〇", "吴喆", "郑赟"])
    client = app.test_client()
    login(client, organiser)
    page = client.get(f"/console/certificates/events/{event.id}").get_data(as_text=True)
    assert '<option selected value="attendance">' in page or 'value="attendance" selected' in page
    first = client.post(f"/console/certificates/events/{event.id}", data={"kind": "completion"})
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert "将发放 3 份证书：结业证书。" in html
    assert 'name="confirm" value="1"' in html
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0
    done = client.post(f"/console/certificates/events/{event.id}", data={"kind": "attendance", "confirm": "1"})
    assert done.status_code == 302
    kinds = db_session.scalars(sa.select(Certificate.kind)).all()
    assert sorted(kinds) == ["attendance"] * 3
    again = client.post(f"/console/certificates/events/{event.id}", data={"kind": "attendance"})
    assert "将发放 0 份证书：参会证明。" in again.get_data(as_text=True)
    assert "已有 3 人持有此证书，将跳过。" in again.get_data(as_text=True)
