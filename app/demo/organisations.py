"""Demo registry: 30 organisations — companies in and out of Minhang, six universities with their
引才合作站, eight host companies (见习基地), two talent agencies and the plan's partner regions —
made through the registry's service; then people and events linked to them: founders, judges,
entrants and masters whose typed companies match (the rows the demo wrote directly are linked
here by the same rule), a job fair with its companies, campus recruiting hosted by universities
and a forum's co-organisers.

`demo_hosts()` and `demo_universities()` give the traineeships' demo its host companies and
universities."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.accounts.models import User
from app.cohorts.camps.models import Enrolment
from app.cohorts.models import Application
from app.competitions.models import Category, Entry, JudgeAssignment, TeamMember
from app.events import organisations as event_organisations
from app.events.models import Event, EventOrganisation
from app.extensions import db
from app.organisations import linking, services
from app.organisations.models import Organisation, OrganisationKind
from app.organisations.names import normalise_name
from app.organisations.uscc import uscc_check_character
from app.studios.models import Studio

MINHANG, XUHUI, KUNSHAN = "310112", "310104", "320583"


def _uscc(region: str, n: int) -> str:
    """A valid 统一社会信用代码 of a company registered in `region` (企业: 91…)."""
    first17 = f"91{region}MA1{n:06d}"
    return first17 + uscc_check_character(first17)


# name, district, in Minhang, region code, industries, size, contact
COMPANIES = (
    ("上海紫竹芯联微电子有限公司", "闵行区", True, MINHANG, ["ic"], "medium", "周敏"),
    ("上海颐家养老服务有限公司", "闵行区", True, MINHANG, ["services"], "small", "沈莉"),
    ("上海马桥人工智能创新试验区运营有限公司", "闵行区", True, MINHANG, ["ai"], "small", "陆斌"),
    ("上海华漕氢能科技有限公司", "闵行区", True, MINHANG, ["energy"], "small", "钱程"),
    ("上海莘庄工业区经济技术发展有限公司", "闵行区", True, MINHANG, ["services"], "medium", "顾炜"),
    ("上海徐汇云途信息科技有限公司", "徐汇区", False, XUHUI, ["ai"], "small", "孙楠"),
    ("昆山智谷精密制造有限公司", "江苏省昆山市", False, KUNSHAN, ["equipment"], "medium", "王建"),
)
# name, approved on, places a year
HOSTS = (
    ("上海莘科精密机械有限公司", date(2024, 3, 15), 12),
    ("上海浦江康元医疗器械有限公司", date(2024, 6, 1), 8),
    ("上海马桥智能机器人有限公司", date(2025, 1, 10), 10),
    ("上海虹桥人力资源服务有限公司", date(2025, 3, 20), 6),
    ("上海古美智慧养老服务有限公司", date(2025, 5, 8), 8),
    ("上海九如城养老服务有限公司", date(2025, 9, 1), 6),
    ("上海闵行人工智能产业发展有限公司", date(2026, 2, 18), 15),
    ("上海春申集成电路设计有限公司", date(2026, 4, 1), 10),
)
# name, station signed on, station contact
UNIVERSITIES = (
    ("上海交通大学", date(2024, 4, 18), "学生就业服务和职业发展中心 王老师"),
    ("华东师范大学", date(2024, 5, 22), "学生职业发展中心 李老师"),
    ("上海大学", date(2025, 3, 12), "学生就业指导中心 张老师"),
    ("华东理工大学", date(2025, 4, 9), "就业指导中心 陈老师"),
    ("上海师范大学", date(2025, 11, 6), "招生就业处 刘老师"),
    ("上海健康医学院", date(2026, 3, 26), "学生工作部 赵老师"),
)
AGENCIES = (("上海闵才人力资源顾问有限公司", "闵行区", True), ("海聚英才（上海）咨询服务有限公司", "长宁区", False))
# 长三角 partners and 对口援建 regions named in the plan
REGIONS = ("安徽省淮南市", "江苏省昆山市", "浙江省湖州市", "江苏省盐城市", "安徽省安庆市", "云南省", "新疆维吾尔自治区")

# event title → [(organisation name, role)]
EVENT_LINKS = {
    "人才闵行周·重点企业人才专场招聘会": [(name, "participant") for name, *_ in COMPANIES[:5]]
    + [(name, "participant") for name, *_ in HOSTS[:4]] + [("上海闵才人力资源顾问有限公司", "co_organiser")],
    "闵而好才·行者常至 上海交通大学专场招聘会": [("上海交通大学", "host_university")]
    + [(name, "participant") for name in ("上海紫竹芯联微电子有限公司", "上海华漕氢能科技有限公司",
                                          "上海春申集成电路设计有限公司", "上海马桥智能机器人有限公司")],
    "闵而好才·行者常至 华东师范大学专场招聘会": [("华东师范大学", "host_university")]
    + [(name, "participant") for name in ("上海徐汇云途信息科技有限公司", "上海虹桥人力资源服务有限公司",
                                          "上海闵行人工智能产业发展有限公司")],
    "人才闵行周·顶尖科学论坛（交大·华师大联合）": [("上海交通大学", "co_organiser"), ("华东师范大学", "co_organiser")],
    "青年见习基地企业对接会": [(name, "participant") for name, *_ in HOSTS],
}


def _values() -> list[dict]:
    values = [dict(kind=OrganisationKind.COMPANY.value, name=name, district=district, in_minhang=inside,
                   uscc=_uscc(region, i), industries=industries, size=size, contact_name=contact,
                   contact_phone=f"021-5{i:03d}0{i:03d}")
              for i, (name, district, inside, region, industries, size, contact) in enumerate(COMPANIES, 1)]
    values += [dict(kind=OrganisationKind.HOST_COMPANY.value, name=name, district="闵行区", in_minhang=True,
                    uscc=_uscc(MINHANG, 100 + i), base_approved_on=approved, base_places_per_year=places,
                    base_status="approved", contact_name="人事部")
               for i, (name, approved, places) in enumerate(HOSTS, 1)]
    values += [dict(kind=OrganisationKind.UNIVERSITY.value, name=name, district="上海市", in_minhang=name in (
                    "上海交通大学", "华东师范大学"), station_signed_on=signed, station_contact=contact)
               for name, signed, contact in UNIVERSITIES]
    values += [dict(kind=OrganisationKind.AGENCY.value, name=name, district=district, in_minhang=inside)
               for name, district, inside in AGENCIES]
    values += [dict(kind=OrganisationKind.PARTNER_REGION.value, name=name, district=name) for name in REGIONS]
    return values


def _existing(kind: str, name: str) -> Organisation | None:
    return db.session.scalar(sa.select(Organisation).where(Organisation.kind == kind,
                                                           Organisation.name_key == normalise_name(name)).limit(1))


def load_organisations(admin_id: int, echo=print) -> int:
    """The registry's demo rows (what exists is left alone); returns how many were made."""
    admin = db.session.get(User, admin_id)
    made = 0
    for values in _values():
        if _existing(values["kind"], values["name"]) is None:
            services.create_organisation(admin, **values)
            made += 1
    db.session.commit()
    echo(f"demo: organisations — {made} new")
    return made


def _link_rows(rows, typed, code=None, column="organisation_id") -> int:
    linked = 0
    for row in rows:
        found = linking.resolve_id(typed(row), code(row) if code else None)
        if found is not None:
            setattr(row, column, found)
            linked += 1
    return linked


def link_people() -> int:
    """Links the demo's rows that were written without the service (applications, enrolments made
    before the registry) and people's profiles, by the registry's one rule."""
    def unlinked(model, column="organisation_id"):
        return db.session.scalars(sa.select(model).where(getattr(model, column).is_(None))).all()

    linked = _link_rows(unlinked(Application), lambda a: a.company_name, lambda a: a.uscc)
    linked += _link_rows(unlinked(Enrolment), lambda e: e.company)
    linked += _link_rows(unlinked(JudgeAssignment), lambda a: a.employer)
    linked += _link_rows(unlinked(Category, "chief_judge_organisation_id"), lambda c: c.chief_judge_employer,
                         column="chief_judge_organisation_id")
    linked += _link_rows(unlinked(Entry), lambda e: e.employer)
    linked += _link_rows(unlinked(TeamMember), lambda m: m.employer)
    linked += _link_rows(unlinked(Studio, "master_organisation_id"), lambda s: s.master.employer,
                         column="master_organisation_id")
    linked += linking.link_unlinked_employers()
    return linked


def link_events(admin_id: int) -> int:
    admin = db.session.get(User, admin_id)
    linked = 0
    for title, links in EVENT_LINKS.items():
        event = db.session.scalar(sa.select(Event).where(Event.title == title).order_by(Event.id).limit(1))
        if event is None:
            continue
        for name, role in links:
            organisation = db.session.scalar(sa.select(Organisation).where(
                Organisation.name_key == normalise_name(name),
                Organisation.kind != OrganisationKind.PARTNER_REGION.value)
                .order_by(Organisation.id).limit(1))
            taken = db.session.scalar(sa.select(EventOrganisation.id).where(
                EventOrganisation.event_id == event.id, EventOrganisation.organisation_id == organisation.id,
                EventOrganisation.role == role))
            if taken is None:
                event_organisations.add_organisation(admin, event, organisation.id, role)
                linked += 1
    return linked


def load_links(admin_id: int, echo=print) -> None:
    people, events = link_people(), link_events(admin_id)
    db.session.commit()
    echo(f"demo: organisations linked — {people} people's rows, {events} event roles")


def demo_hosts() -> list[Organisation]:
    """The demo's host companies (见习基地), in the order above."""
    return [_existing(OrganisationKind.HOST_COMPANY.value, name) for name, *_ in HOSTS]


def demo_universities() -> list[Organisation]:
    """The demo's universities with a 引才合作站, in the order above."""
    return [_existing(OrganisationKind.UNIVERSITY.value, name) for name, *_ in UNIVERSITIES]
