"""感受度 in the demo: every occasion that had ended by the demo's today — the past events people
checked in at, the camp cohorts whose lessons are over, the finished traineeship batches — had its
surveys sent the day after it ended (as the daily sweep does), and about three in five were answered
within a few days (mostly 4s and 5s, some 3s, a few lower; some with a comment), so
/console/satisfaction and the plans' dashboard have figures."""
from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa

from app.demo.context import DemoRun
from app.extensions import db
from app.satisfaction import answering
from app.satisfaction.models import AskedKind, SatisfactionSurvey
from app.satisfaction.occasions import ended_between
from app.satisfaction.sending import in_request, send_for
from app.timeutil import EARLIEST

SCORES = ((5, 45), (4, 35), (3, 13), (2, 5), (1, 2))
COMMENTS = ("内容很实用，希望以后多办。", "会场有点远，建议提供班车。", "嘉宾分享很有启发。", "签到很顺畅，手机扫码就行。",
            "时间可以再紧凑一些。", "希望能多安排交流互动环节。", "材料能否提前发给我们？", "讲师很专业，收获很大。")


def load_satisfaction(run: DemoRun) -> None:
    if db.session.scalar(sa.select(SatisfactionSurvey.id).limit(1)) is not None:
        return
    occasions = ended_between(EARLIEST, run.now)
    with in_request():
        sent = sum(send_for(o, o.ended_at + timedelta(days=1), commit_each=False) for o in occasions)
    db.session.commit()
    rng = random.Random(f"{run.seed}:satisfaction")
    answered = 0
    for survey in db.session.scalars(sa.select(SatisfactionSurvey).order_by(SatisfactionSurvey.id)):
        if rng.random() > 0.6:
            continue
        values = {}
        for question in answering.questions(survey):
            name = answering.field_name(question)
            if question["kind"] == AskedKind.RATING.value:
                values[name] = str(rng.choices([s for s, _ in SCORES], weights=[w for _, w in SCORES])[0])
            elif question["kind"] == AskedKind.SINGLE.value and question.get("choices"):
                values[name] = rng.choice(question["choices"])
            elif rng.random() < 0.3:
                values[name] = rng.choice(COMMENTS)
        answering.answer(survey, values, now=survey.sent_at + timedelta(hours=rng.randint(2, 96)))
        answered += 1
    db.session.commit()
    run.echo(f"demo: satisfaction surveys: {len(occasions)} occasions, {sent} sent, {answered} answered")
