"""A certificate is reprinted with the template it was issued with: editing a template appends a
version, old certificates keep theirs (their reprint's text is the same), new ones get the new."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.certificates import batches, services
from app.certificates.models import CertificateKind, CertificateTemplateVersion
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
