"""A certificate is reprinted with the template it was issued with: editing a template appends a
version, old certificates keep theirs (their reprint's text is the same), new ones get the new."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app.certificates import batches, services
from app import create_app
from app.accounts.models import User
from app.certificates.models import Certificate, CertificateKind, CertificateTemplateVersion
from app.extensions import db
from tests.fixtures.certificates import pdf_file, pdf_text

OLD_WORDS, NEW_WORDS = "特发此证", "特此证明，以资鼓励"


def _versions(db_session, template) -> list[int]:
    return list(db_session.scalars(sa.select(CertificateTemplateVersion.number)
                                   .where(CertificateTemplateVersion.template_id == template.id)
                                   .order_by(CertificateTemplateVersion.number)))


@pytest.fixture(autouse=True)
def _templates_restored(app, db_session, admin):
    """The templates as they were before the test: the database is shared by the whole run."""
    kept = {t.id: {"name": t.name, "title": t.title, "html": t.html, "css": t.css, "page_size": t.page_size,
                   "signatory": t.signatory} for t in services.ensure_templates()}
    db_session.commit()
    yield
    db_session.rollback()
    for template in services.ensure_templates():
        services.save_template(admin, template, **kept[template.id])
    db_session.commit()


def _edit(admin, template, **changes):
    values = {"name": template.name, "title": template.title, "html": template.html, "css": template.css,
              "page_size": template.page_size, "signatory": template.signatory}
    values.update(changes)
    services.save_template(admin, template, **values)


def test_an_edit_after_issuing_leaves_the_reprint_of_an_old_certificate_as_it_was(
        app, db_session, admin, issue_completion, tmp_path):
    old = issue_completion(["司马懿"])[0]
    template = services.template_for_kind(CertificateKind.COMPLETION)
    assert OLD_WORDS in template.html and NEW_WORDS not in template.html
    issued_with = old.template_version
    assert issued_with is not None and issued_with.template_id == template.id
    before = pdf_text(pdf_file(tmp_path, batches.certificates_pdf([old]), "before.pdf"))
    assert OLD_WORDS in before

    _edit(admin, template, html=template.html.replace(OLD_WORDS, NEW_WORDS), signatory="局长 王五")
    db_session.commit()
    assert _versions(db_session, template) == [issued_with.number, issued_with.number + 1]
    db_session.expire_all()

    reprint = pdf_text(pdf_file(tmp_path, batches.certificates_pdf([services.get_certificate(old.id)]), "after.pdf"))
    assert reprint == before  # every template-dependent word as issued
    assert NEW_WORDS not in reprint and "局长 王五" not in reprint

    new = issue_completion(["诸葛亮"])[0]
    assert new.template_version.number == issued_with.number + 1
    text = pdf_text(pdf_file(tmp_path, batches.certificates_pdf([new]), "new.pdf"))
    assert NEW_WORDS in text and "局长 王五" in text

    # One batch with both: each page as its own certificate was issued.
    both = pdf_file(tmp_path, batches.certificates_pdf([services.get_certificate(old.id), new]), "both.pdf")
    assert NEW_WORDS not in pdf_text(both, 1) and NEW_WORDS in pdf_text(both, 2)


def test_versions_are_append_only_and_a_save_that_changes_nothing_adds_none(app, db_session, admin):
    template = services.template_for_kind(CertificateKind.AWARD)
    db_session.commit()
    _edit(admin, template)  # nothing changed
    db_session.commit()
    first = _versions(db_session, template)
    assert len(first) == 1
    kept = db_session.scalar(sa.select(CertificateTemplateVersion).where(
        CertificateTemplateVersion.template_id == template.id))
    html = kept.html
    _edit(admin, template, title="获奖证书（新）")
    services.reset_template(admin, template)
    db_session.commit()
    assert _versions(db_session, template) == [first[0], first[0] + 1, first[0] + 2]
    db_session.refresh(kept)
    assert kept.html == html and kept.title == "获奖证书"


def test_a_reissue_uses_the_current_version(app, db_session, admin, issue_completion):
    old = issue_completion(["欧阳修"])[0]
    template = services.template_for_kind(CertificateKind.COMPLETION)
    _edit(admin, template, signatory="局长 赵六")
    db_session.commit()
    new = services.reissue(admin, old, name="欧阳修")
    db_session.commit()
    assert new.template_version.signatory == "局长 赵六"
    assert old.template_version.number < new.template_version.number


def test_the_migration_gives_existing_certificates_version_1_of_their_template(tmp_path):
    """Upgrading an installation (here a SQLite file of its own): each template gets version 1 as
    it stands, each certificate that of its template, or of its kind's default without one."""
    other = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'old.sqlite3'}")
    with other.app_context():
        upgrade(revision="ff17rp000001")
        user = User(name="张三", email="zhang.san@example.com", password_hash="-")
        db.session.add(user)
        db.session.commit()
        db.session.execute(sa.text(
            "INSERT INTO certificate_templates (id, kind, name, title, html, css, page_size, signatory, is_default, "
            "updated_at) VALUES (7, 'completion', '结业', '结业证书', '<p>{{ recipient_name }} 旧版</p>', '', "
            "'A4 landscape', '局长', :yes, '2026-01-01')"), {"yes": True})
        for n, template_id in ((1, 7), (2, None)):
            db.session.execute(sa.text(
                "INSERT INTO certificates (id, serial, code, kind, subject_type, subject_id, recipient_id, "
                "recipient_name, title, programme, held_on, tier, award, issued_on, issuer_name, template_id, "
                "version, created_at) VALUES (:n, :serial, :code, 'completion', 'event', :n, :user, '张三', "
                "'结业证书', '活动', '', '', '', '2026-01-01', '闵行区人社局', :template, 1, '2026-01-01')"),
                {"n": n, "serial": f"MH-2026-JY-00000{n}", "code": f"code-{n}", "user": user.id,
                 "template": template_id})
        db.session.commit()
        upgrade()
        version = db.session.scalar(sa.select(CertificateTemplateVersion))
        assert (version.template_id, version.number, version.html, version.signatory) == (
            7, 1, "<p>{{ recipient_name }} 旧版</p>", "局长")
        certs = db.session.scalars(sa.select(Certificate).order_by(Certificate.id)).all()
        assert [c.template_version_id for c in certs] == [version.id, version.id]
        assert {services.template_for(c).html for c in certs} == {version.html}
        db.session.remove()
