"""见习证明 / 实践证明 for completed placements (verifiable, the CJK font embedded in the PDF) and
the trainee counts towards the plan's 1,500 checked against the placement rows."""
from datetime import date
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.certificates import services as certs
from app.certificates.batches import certificates_pdf
from app.errors import Conflict, PermissionDenied
from app.traineeships import certificates, counts
from app.traineeships.models import PLAN_TARGET, Placement
from tests.fixtures.certificates import pdf_file, pdf_fonts, pdf_text


def test_certificates_for_completed_placements_only(app, db_session, placed_batch, create_user, tmp_path):
    made = placed_batch(trainees=(2, 1))
    with pytest.raises(Conflict):
        certificates.issue_for_batch(made.organiser, made.batch, made.placements)
    done, other, withdrawn = made.placements
    done.status, withdrawn.status = "completed", "withdrawn"
    with pytest.raises(PermissionDenied):
        certificates.issue_for_batch(create_user("organiser", department="skills"), made.batch, made.placements)
    result = certificates.issue_for_batch(made.organiser, made.batch, made.placements, issued_on=date(2026, 10, 8))
    db_session.commit()
    [cert] = result.issued
    assert cert.recipient_id == done.user_id and cert.title == "见习证明" and cert.kind == "traineeship"
    assert cert.serial == "MH-2026-JX-000001" and cert.tier == done.host.name and cert.award == "行政助理"
    assert cert.held_on == "2026年7月1日至9月30日"
    assert certs.verification(certs.find_for_verification(cert.code))["state"] == "valid"
    again = certificates.issue_for_batch(made.organiser, made.batch, made.placements)
    assert again.issued == [] and [u.id for u in again.skipped] == [done.user_id]
    path = pdf_file(tmp_path, certificates_pdf([cert]))
    text = pdf_text(path)
    assert "见 习 证 明" in text and cert.serial in text and done.host.name in text.replace("\n", "")
    for font in pdf_fonts(path):
        assert font["emb"] == "yes" and font["uni"] == "yes" and "CJK" in font["name"], font


def test_social_practice_gets_a_practice_certificate(db_session, placed_batch):
    made = placed_batch(trainees=(1,), kind="social_practice")
    made.placements[0].status = "completed"
    [cert] = certificates.issue_for_batch(made.organiser, made.batch, made.placements).issued
    assert cert.title == "实践证明" and cert.serial.startswith("MH-") and "-SJ-" in cert.serial


def test_counts_are_distinct_people_of_confirmed_and_completed_placements(db_session, placed_batch,
                                                                          create_organisation):
    sjtu = create_organisation(kind="university", name="上海交通大学")
    first = placed_batch(trainees=(2, 1), university=sjtu)
    first.hosts[1].district = "徐汇区"
    first.placements[1].status = "completed"
    first.placements[2].status = "withdrawn"  # not counted
    later = placed_batch(trainees=(1,), hosts=[(first.hosts[0], first.contacts[0])], starts_on=date(2027, 7, 1),
                         ends_on=date(2027, 8, 31))
    later.placements[0].user_id = first.placements[0].user_id  # the same person, again a year later
    later.placements[0].application.school_name = "华东师范大学"
    proposed = placed_batch(trainees=(1,))
    proposed.placements[0].status = "proposed"
    db_session.commit()
    made = counts.counts()
    assert made.target == PLAN_TARGET == 1500
    assert made.trainees == 2
    assert made.by_host == {first.hosts[0].name: 2}
    assert made.by_year == {2026: 2, 2027: 1}
    assert made.by_district == {"闵行区": 2}
    # the registry's name wins over the typed school; without one, the school as typed
    assert made.by_university == {"上海交通大学": 2, "华东师范大学": 1}
    # Against the rows: each counted placement's person, once.
    rows = db_session.execute(sa.select(Placement.user_id).where(Placement.status.in_(("confirmed", "completed"))))
    assert made.trainees == len({r for (r,) in rows})
    book = load_workbook(BytesIO(counts.counts_xlsx(made)))
    assert book.worksheets[0]["B1"].value == 2 and book.worksheets[0]["B2"].value == 1500
    assert [c.value for c in book.worksheets[1][2]] == [first.hosts[0].name, 2]
