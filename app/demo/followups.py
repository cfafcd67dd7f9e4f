"""留在闵行 in the demo: the follow-up surveys of the programmes that have ended — the 2024–2025 camp
cohorts (ended 2025-06-30) and the finished 2024 and 2025 traineeship batches — made and sent by
the daily job as on the days they fell due, about two in three answered (most still in Minhang,
employed or with their own company; some elsewhere), so /console/followups has figures. The pitch
competition ends after today: its people are asked later."""
from __future__ import annotations

import random
from datetime import date

import sqlalchemy as sa

from app.demo.context import DemoRun
from app.extensions import db
from app.followups import answering
from app.followups.models import FollowupSurvey, SurveyStatus, Working
from app.followups.sending import send_due
from app.organisations.models import Organisation, OrganisationKind

# The days the daily job "ran": each catches the surveys due in the 60 days before it.
RUN_DAYS = (date(2025, 3, 30), date(2025, 8, 30), date(2025, 12, 30), date(2026, 3, 30), date(2026, 6, 30),
            date(2026, 9, 30))
ANSWERS = ((Working.EMPLOYED_MINHANG, 45), (Working.OWN_COMPANY_MINHANG, 15), (Working.OUTSIDE_MINHANG, 22),
           (Working.STUDYING, 6), (Working.NOT_WORKING, 6), (Working.UNDISCLOSED, 6))
ELSEWHERE = ("杭州某网络科技有限公司", "苏州工业园区某电子有限公司", "上海浦东某金融服务有限公司")


def load_followups(run: DemoRun) -> None:
    if db.session.scalar(sa.select(FollowupSurvey.id).limit(1)) is not None:
        return
    for day in RUN_DAYS:
        if day <= run.today:
            send_due(day)
    rng = random.Random(f"{run.seed}:followups")
    companies = list(db.session.scalars(sa.select(Organisation.name).where(
        Organisation.kind == OrganisationKind.COMPANY.value, Organisation.in_minhang.is_(True))
        .order_by(Organisation.id)))
    surveys = list(db.session.scalars(sa.select(FollowupSurvey).where(
        FollowupSurvey.status == SurveyStatus.SENT.value).order_by(FollowupSurvey.id)))
    answered = 0
    for survey in surveys:
        if rng.random() > 0.65:
            continue
        working = rng.choices([w for w, _ in ANSWERS], weights=[n for _, n in ANSWERS])[0]
        if working == Working.OWN_COMPANY_MINHANG and not survey.founder:
            working = Working.EMPLOYED_MINHANG
        values = {"working": working.value, "note": ""}
        if working in (Working.EMPLOYED_MINHANG, Working.OWN_COMPANY_MINHANG):
            values["organisation"] = rng.choice(companies) if companies else "上海闵行某科技有限公司"
        elif working == Working.OUTSIDE_MINHANG:
            values["organisation"] = rng.choice(ELSEWHERE)
        if survey.founder:
            values["funding_wan"] = str(rng.choice((0, 0, 50, 100, 200, 500, 1200)))
            values["team_size"] = str(rng.randint(2, 30))
        answering.answer(survey, values)
        answered += 1
    db.session.commit()
    run.echo(f"demo: follow-up surveys: {len(surveys)} sent, {answered} answered")
