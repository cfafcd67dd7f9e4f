"""Loading a plan from its file: the seed plan as the bureau issued it; every broken file refused
with a message naming where, and nothing changed; a second load updates in place and keeps history."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
import yaml

from app.accounts.models import Department
from app.audit.models import AuditEntry
from app.plans import loading
from app.plans.models import EnteredFigure, Plan, PlanItem, PlanTag, Target
from tests.fixtures.plans import SEED


def _seed() -> dict:
    return yaml.safe_load(SEED.read_text(encoding="utf-8"))


def _load(content: dict, kind: str = "yaml"):
    text = yaml.safe_dump(content, allow_unicode=True) if kind == "yaml" else json.dumps(content, default=str)
    return loading.load_text(text.encode("utf-8"), kind, source=f"test.{kind}")


def _snapshot(db_session):
    return {model.__name__: db_session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Plan, PlanItem, Target, Department, EnteredFigure, PlanTag, AuditEntry)}


def test_the_seed_plan_loads_with_its_items_departments_and_targets(db_session, departments):
    result = loading.load_file(SEED)
    db_session.commit()
    plan = result.plan
    assert result.created and plan.slug == "liuzai-minhang-2022-2024"
    assert (plan.issued_on, plan.starts_on, plan.ends_on) == (date(2022, 8, 3), date(2022, 1, 1), date(2024, 12, 31))
    assert plan.issued_by == "闵行区人力资源和社会保障局"
    assert [i.code for i in plan.items] == ["一.1", "一.2", "二.1", "二.2", "二.3", "二.4", "二.5", "二.6",
                                            "三.1", "三.2", "三.3", "三.4"]
    items = {i.code: i for i in plan.items}
    assert items["二.3"].title == "创业人才梯度培育计划" and items["二.3"].serves == ["camp"]
    assert [d.name for d in items["二.4"].departments] == ["职业能力建设科", "事业单位人事管理科"]
    assert result.departments_created == ["事业单位人事管理科"]
    assert set(items["一.1"].serves) == {"event:campus_recruiting", "event:job_fair", "online", "series"}

    targets = {t.code: t for t in plan.targets}
    assert targets["trainees"].number == Decimal(1500) and targets["trainees"].rule == {"counter": "trainees"}
    assert targets["trainees"].item.code == "二.5" and targets["trainees"].computed
    assert (targets["camp_founders"].period, targets["camp_founders"].years) == ("year", 2)
    assert targets["retained_12m"].number is None and targets["retained_12m"].rule == {"counter": "retained", "months": 12}
    parts = targets["senior_titles"].parts
    assert [(p.code, int(p.number)) for p in parts] == [("senior_titles_education", 30), ("senior_titles_health", 70),
                                                         ("senior_titles_economics", 10), ("senior_titles_engineering", 30)]
    assert sum(p.number for p in parts) == targets["senior_titles"].number
    assert all(t.definition and t.departments for t in plan.targets)
    assert not targets["flexible_talents"].computed and targets["flexible_talents"].rule == {}
    assert db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "plan.load")) is not None


def test_the_cli_loads_and_lists(app, db_session, departments):
    runner = app.test_cli_runner()
    loaded = runner.invoke(args=["plans", "load", str(SEED)])
    assert loaded.exit_code == 0, loaded.output
    assert "loaded liuzai-minhang-2022-2024" in loaded.output and "12 items, 20 targets" in loaded.output
    again = runner.invoke(args=["plans", "load", str(SEED)])
    assert again.exit_code == 0 and "updated liuzai-minhang-2022-2024" in again.output
    listed = runner.invoke(args=["plans", "list"])
    assert "liuzai-minhang-2022-2024\t2022-01-01 – 2024-12-31\t12 items\t20 targets" in listed.output
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Plan)) == 1


def test_a_json_file_loads_too(tmp_path, db_session, departments):
    path = tmp_path / "plan.json"
    content = _seed()
    content["slug"] = "json-plan"
    path.write_text(json.dumps(content, default=str, ensure_ascii=False), encoding="utf-8")
    assert loading.load_file(path).plan.slug == "json-plan"


def _broken(**changes):
    content = _seed()
    for path, value in changes.items():
        node, keys = content, path.split("__")
        for key in keys[:-1]:
            node = node[int(key)] if key.isdigit() else node[key]
        last = keys[-1]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return content


BROKEN = {
    "unknown counter": (_broken(targets__12__rule={"counter": "nobody_counts_this"}),
                        ["指标 founders_tracked", "rule", "nobody_counts_this"]),
    "number as text": (_broken(targets__0__number="十万"), ["指标 flexible_talents", "number"]),
    "huge number": (_broken(targets__0__number=10 ** 30), ["指标 flexible_talents", "number"]),
    "negative number": (_broken(targets__0__number=-5), ["指标 flexible_talents", "number"]),
    "unknown period": (_broken(targets__0__period="decade"), ["指标 flexible_talents", "period"]),
    "duplicate target": (_broken(targets__1__code="flexible_talents"), ["指标 flexible_talents", "code"]),
    "duplicate item": (_broken(items__1__code="一.1"), ["事项 一.1", "code"]),
    "end before start": (_broken(ends_on="2021-12-31"), ["ends_on"]),
    "missing parent": (_broken(targets__7__parent="no_such_target"), ["指标 senior_titles_education", "parent"]),
    "unknown department": (_broken(items__0__departments=["宣传科"]), ["事项 一.1", "departments", "宣传科"]),
    "unknown programme": (_broken(items__0__serves=["event:parade"]), ["事项 一.1", "serves"]),
    "item not in file": (_broken(targets__0__item="九.9"), ["指标 flexible_talents", "item"]),
    "title of wrong type": (_broken(items__0__title=["a", "b"]), ["事项 一.1", "title"]),
    "years not a number": (_broken(targets__13__years="two"), ["指标 camp_founders", "years"]),
    "entered with a rule": (_broken(targets__0__rule={"counter": "trainees"}), ["指标 flexible_talents", "rule"]),
    "bad slug": (_broken(slug="Liuzai Plan!"), ["slug"]),
    "bad date": (_broken(starts_on="2022-13-01"), ["starts_on"]),
    "items not a list": (_broken(items="一.1"), ["items"]),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_file_is_refused_naming_where_and_changes_nothing(case, db_session, departments):
    content, words = BROKEN[case]
    before = _snapshot(db_session)
    with pytest.raises(loading.PlanFileInvalid) as refused:
        _load(content)
    db_session.rollback()
    text = "\n".join(refused.value.problems)
    assert all(word in text for word in words), text
    assert _snapshot(db_session) == before


@pytest.mark.parametrize("data, word", [
    (b"slug: [unclosed\n  title: x", "YAML"),
    (b"slug: plan\x00\ntitle: x", "NUL"),
    (b"\xff\xfe\x00garbage", "NUL"),
    (b"\xc3\x28 not utf-8", "UTF-8"),
    (b"- just\n- a list", "slug"),
    (b"", "slug"),
    (b"a: &a [*a, *a, *a]", "slug"),  # a list holding itself: read, then refused for what it lacks
])
def test_unreadable_files_are_refused(data, word, db_session, departments):
    before = _snapshot(db_session)
    with pytest.raises(loading.PlanFileInvalid) as refused:
        loading.load_text(data, "yaml")
    assert word in " ".join(refused.value.problems)
    assert _snapshot(db_session) == before


def test_json_and_extension_errors(tmp_path, db_session, departments):
    with pytest.raises(loading.PlanFileInvalid):
        loading.load_text(b"{\"slug\": ", "json")
    path = tmp_path / "plan.txt"
    path.write_text("slug: x")
    with pytest.raises(loading.PlanFileInvalid):
        loading.load_file(path)
    with pytest.raises(loading.PlanFileInvalid):
        loading.load_file(tmp_path / "missing.yaml")


def test_the_cli_prints_the_problems_and_fails(app, tmp_path, db_session, departments):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(_broken(targets__0__number="很多"), allow_unicode=True), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["plans", "load", str(path)])
    assert result.exit_code != 0 and "flexible_talents" in result.output and "number" in result.output
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Plan)) == 0


def test_reloading_updates_in_place_and_keeps_figures_and_tags(db_session, departments, admin):
    first = loading.load_file(SEED).plan
    db_session.commit()
    trainees = next(t for t in first.targets if t.code == "trainees")
    flexible = next(t for t in first.targets if t.code == "flexible_talents")
    item = next(i for i in first.items if i.code == "二.5")
    db_session.add(EnteredFigure(target=flexible, as_of=date(2023, 12, 31), value=Decimal(40000), entered_by=admin))
    db_session.add(PlanTag(item=item, subject_kind="event", subject_id=7, serves=False))
    db_session.commit()
    ids = {t.code: t.id for t in first.targets}

    content = _seed()
    content["title"] = "“留在闵行”人才工作三年行动计划（修订）"
    content["targets"][14]["number"] = 1600  # trainees
    content["targets"][14]["definition"] = "新的口径"
    content["items"][6]["title"] = "技能青年育苗计划（修订）"
    content["targets"] = [t for t in content["targets"] if t["code"] != "technician_college"]  # no figures: goes
    result = _load(content)
    db_session.commit()
    plan = result.plan
    assert plan.id == first.id and not result.created and result.removed == ["technician_college"]
    assert plan.title.endswith("（修订）")
    trainees = db_session.get(Target, ids["trainees"])
    assert trainees.number == Decimal(1600) and trainees.definition == "新的口径"
    assert db_session.get(PlanItem, item.id).title == "技能青年育苗计划（修订）"
    assert {t.code: t.id for t in plan.targets} == {c: i for c, i in ids.items() if c != "technician_college"}
    assert db_session.scalar(sa.select(sa.func.count()).select_from(EnteredFigure)) == 1
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlanTag)) == 1


def test_a_target_with_figures_cannot_be_dropped_from_the_file(db_session, departments, admin):
    plan = loading.load_file(SEED).plan
    db_session.commit()
    flexible = next(t for t in plan.targets if t.code == "flexible_talents")
    db_session.add(EnteredFigure(target=flexible, as_of=date(2023, 12, 31), value=Decimal(40000), entered_by=admin))
    db_session.commit()
    content = _seed()
    content["targets"] = [t for t in content["targets"] if t["code"] != "flexible_talents"]
    content["targets"][0]["number"] = 1  # would change if the load went through
    before = _snapshot(db_session)
    with pytest.raises(loading.PlanHistoryKept) as refused:
        _load(content)
    db_session.rollback()
    assert "flexible_talents" in refused.value.problems[0]
    assert _snapshot(db_session) == before
    assert db_session.get(Target, flexible.id) is not None


def test_a_tagged_item_cannot_be_dropped_from_the_file(db_session, departments):
    plan = loading.load_file(SEED).plan
    db_session.commit()
    item = next(i for i in plan.items if i.code == "三.4")
    db_session.add(PlanTag(item=item, subject_kind="event", subject_id=1, serves=True))
    db_session.commit()
    content = _seed()
    content["items"] = [i for i in content["items"] if i["code"] != "三.4"]
    with pytest.raises(loading.PlanHistoryKept) as refused:
        _load(content)
    assert "三.4" in refused.value.problems[0]
