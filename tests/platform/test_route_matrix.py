"""Route × role matrix: every rule of `app.url_map`, GET and POST where the rule allows them,
filled with the ids of objects owned by somebody else, requested as every kind of attacker.

Nobody may read or change what is not theirs: a refused request answers 401/403/404 (anonymous
HTML: a redirect to the login page), never 5xx, never a victim's private strings, and a refused
or foreign POST leaves every table as it was. Own routes with another side's id in the body
are tried too (test_foreign_ids_in_the_body_of_own_routes). A new route is covered without a new test: its
arguments are filled from the `values` table of tests/matrix_world.py; one the table cannot fill fails here
until it is added there or to EXEMPT with the reason.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from urllib.parse import quote

import lxml.html
import pytest

from tests.matrix_world import ROLES, fingerprint

# One world for the module (tests/fixtures/world.py): tables are not emptied after each test.
pytestmark = pytest.mark.module_world

# Routes the matrix does not request, and why.
EXEMPT = {
    ("accounts.logout", "POST"): ("ends the role's own session, which later rows still need; "
                                  "tests/accounts/test_accounts.py"),
}

# Who may use a route (anything not listed: OWNED when the rule names an object, else STAFF).
PUBLIC = {  # anyone, logged in or not
    "main.home", "main.favicon", "main.set_language", "main.upload", "static", "accounts.login",
    "accounts.signup", "events.detail", "events.series", "calendars.event", "calendars.series",
    "competitions.public_list", "competitions.public_detail", "cohorts.camps", "cohorts.camp",
    "verify.lookup", "verify.show", "api.openapi", "api.events_list", "api.event_detail",
    "api.certificate_verify", "api.auth_token", "checkin.scanner", "checkin.service_worker",
    "traineeships.open_list", "api.jobfair_positions",
    "rosters.referral",  # an ambassador's link: remembers the code, then on to the page it names
    "online.invitation",  # a university's invitation link: the event's title and time, a register button
    # a pitch final's results screen and its JSON: entry numbers until released, then projects and
    # companies (never people's names); the API's results answer only once released
    "pitch.screen", "pitch.screen_json", "api.pitch_results",
    "pitch.public_list",  # the published pitch competitions (drafts left out), with their apply links
    "accounts.privacy_notice", "rights.erased",  # the privacy notice; what an erasure keeps, and why
    "person_code.service_worker",  # 我的码's offline worker: a static script served under /me/code
    "record.verify",  # a printed record's check: the snapshot with the name masked, nothing else personal
}
CAPABILITY = {  # the secret in the path is the permission (a ticket, a calendar feed)
    "tickets.show", "tickets.image", "tickets.resend", "calendars.feed",
    "sms.receipts",  # the provider's receipt callback; the URL's token is SMS_RECEIPT_TOKEN
    "online.join", "online_beat.heartbeat",  # a registration's signed join link
    "followups.answer", "followups.organisation_suggestions",  # a follow-up survey's signed link (by SMS)
    "satisfaction.answer",  # a 感受度 survey's signed link (by SMS)
}
OPEN = {  # any signed-in person acts for themselves on a public object
    "registrations.register", "api.register", "cohorts.apply", "competitions.enter", "checkin.self_check_in",
    "online.register_by_invitation", "online.register_invited",  # invitations decide; else as registering
    "jobfairs.booth",  # a booth's code: any signed-in seeker sees its positions and shares with consent
    "traineeships.apply", "pitch.apply",
}
SELF = {  # the caller's own things
    "accounts.profile", "accounts.change_password", "accounts.reset_calendar", "registrations.mine",
    "verify.mine", "cohorts.my_applications", "cohorts.my_camps", "cohorts.my_results", "competitions.mine",
    "api.my_registrations", "api.scanner_setup", "inbox.index", "inbox.read_all",
    "studios.studio_list",  # a master holds no staff role and sees their own studios there
    "traineeships.mine",
    # A host company's contact holds no staff role; the portal shows the caller's own hosts' places only.
    "traineeships.host_index", "api.host_applicants",
    "rosters.my_referrals", "mentoring.mine", "api.my_mentoring_sessions",
    "online.my_invitations",
    "jobfairs.mine",
    # An employer's contact holds no staff role; the portal shows their own employers' candidates only.
    "jobfairs.employer_index", "jobfairs.employer_export", "api.employer_interests",
    "pitch.mine",
    "followups.mine", "satisfaction.mine",
    # personal-data rights: the caller's own consent, download and erasure
    "accounts.privacy_consent", "rights.my_data", "rights.my_data_json", "rights.my_data_pdf", "rights.erase",
    "person_code.page", "person_code.credential",  # 我的码: the caller's own code and phone credential
    "record.mine", "record.mine_json", "record.mine_pdf",  # the caller's own talent record
}
# The bureau's shared registers: any staff member of the bureau (an organiser) uses and changes
# them; nothing in them is another side's. Everyone else is refused.
REGISTRY = {
    "organisations.index", "organisations.detail", "organisations.edit", "organisations.duplicates",
    "organisations.merge", "organisations.import_sheet", "organisations.export",
    "organisations.add_contact", "organisations.remove_contact",
    "organisation_pages.overview", "organisation_pages.stations", "organisation_pages.stations_export",
    "api.organisations_list", "api.organisation_detail",
    # the plan as issued: its items, targets with their definitions, and the figures' history (who entered
    # what, as staff); entering, correcting, evidence files and occasions' items are their departments'
    "plans.console_plans", "plans.console_plan", "plans.console_target",
}
REGISTRY_ROLES = {"organiser"}
# The plan's readers (app/plans/bp.readers): administrators, bureau leaders and department heads;
# none of the matrix's other roles, organisers included, may open the dashboard.
READERS = {"plans.dashboard_home", "plans.dashboard_target", "plans.dashboard_people"}
# The check-in API acts at the scanner's own checkpoint; what is foreign is in the body.
OWN_CHECKPOINT = {"api.checkin_one", "api.checkin_batch"}
SCANNER_OWN = OWN_CHECKPOINT | {"api.scanner_setup"}
ADMIN_PREFIX = "/admin/"
STAFF_ROLES = {"trainer", "judge", "organiser"}


def category(rule) -> str:
    endpoint = rule.endpoint
    for name, members in (("public", PUBLIC), ("capability", CAPABILITY), ("open", OPEN), ("self", SELF),
                          ("own_checkpoint", OWN_CHECKPOINT), ("registry", REGISTRY), ("readers", READERS)):
        if endpoint in members:
            return name
    if rule.rule.startswith(ADMIN_PREFIX):
        return "admin"
    return "owned" if rule.arguments else "staff"


def must_refuse(cat: str, role: str, rule) -> bool:
    if role == "admin" or cat in ("public", "capability"):
        return False
    if role == "scanner":
        # A scanner link is no account: it scans at its own event's checkpoints and nothing else.
        return rule.endpoint not in SCANNER_OWN
    if cat in ("owned", "admin", "readers") or role == "anonymous":
        return True
    if cat == "registry":
        return role not in REGISTRY_ROLES
    if cat == "staff":
        # Staff pages without an object: an account without a staff role is refused; staff see
        # their own lists there (checked for the victims' private strings).
        return role not in STAFF_ROLES
    return False


def checks_changes(cat: str, role: str) -> bool:
    if cat == "registry":
        return role not in REGISTRY_ROLES
    return role != "admin" and cat not in ("open", "self", "capability")


# -- requests -------------------------------------------------------------------
def _path(rule, world) -> str | None:
    values = {}
    for arg in rule.arguments:
        value = world.by_endpoint.get((rule.endpoint, arg), world.values.get(arg))
        if value is None:
            return None
        values[arg] = value

    def fill(match):
        return quote(str(values[match.group(1)]), safe="/")
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", fill, rule.rule)


def _api_body(endpoint: str, world, role: str):
    own = world.own
    checkpoint = own["checkpoint_id"] if role in ("scanner", "organiser") else world.values["checkpoint_id"]
    scan = {"registration": own["victim_registration_id"], "checkpoint": checkpoint}
    return {
        "api.checkin_one": scan,
        "api.checkin_batch": {"device": "matrix", "scans": [dict(scan, nonce="matrix-nonce-1",
                                                                 scanned_at="2026-05-18T09:00:00+08:00")]},
        "api.event_create": {"title": "矩阵借用别人的系列", "kind": "forum", "venue": "会场", "address": "地址",
                             "starts_at": "2027-05-18T09:00:00+08:00", "ends_at": "2027-05-18T11:00:00+08:00",
                             "department": own["department"], "series": own["victim_series_id"]},
    }.get(endpoint, {})


FORM_BODIES = {  # button POSTs whose form lives on another page
    "console.registrations_bulk": lambda w: {"ids": [w.own["victim_registration_id"]], "action": "cancel",
                                             "reason": "matrix"},
    "certificates.print_batch": lambda w: {"ids": [w.own["victim_certificate_id"]], "output": "pdf"},
    "certificates.revoke": lambda w: {"reason": "matrix revoke"},
    "cohorts.withdraw": lambda w: {"reason": "matrix withdraw"},
    "studios.end_pair": lambda w: {"note": "matrix end"},
    "traineeships.host_decline": lambda w: {"reason": "matrix decline"},
    "traineeships.reject": lambda w: {"reason": "matrix reject"},
    "traineeships.batch_status": lambda w: {"status": "cancelled"},
    "mentoring.end": lambda w: {"note": "matrix end"},
    "mentoring.rate": lambda w: {"rating": "5", "comment": "matrix"},
    "rosters.status": lambda w: {"status": "ended", "note": "matrix end"},
    "console.event_cancel": lambda w: {"reason": "matrix cancel"},
}
TOUCH = ("title", "name", "label", "venue", "description", "note", "summary", "goals", "reason", "speaker", "room")


def _owner_form(world, path: str) -> dict | None:
    """The form the owner (admin) is shown on `path`, as the owner would submit it, with its text
    changed a little so that a POST that is wrongly accepted changes the database."""
    cache = world.own.setdefault("_forms", {})
    if path in cache:
        return cache[path]
    response = world.actors["admin"].client.get(path)
    data = None
    if response.status_code == 200 and response.mimetype == "text/html":
        page = lxml.html.fromstring(response.get_data(as_text=True))
        forms = [f for f in page.forms if (f.method or "").upper() == "POST"
                 and (not f.action or f.action.split("?")[0] in (path, ""))]
        if forms:
            data = {}
            for name, value in forms[0].form_values():
                if any(word in name for word in TOUCH) and isinstance(value, str) and value:
                    value += " 矩阵"
                data.setdefault(name, []).append(value)
    cache[path] = data
    return data


def _request(actor, method: str, path: str, rule, world):
    headers = {"Authorization": f"Bearer {actor.bearer}"} if actor.bearer else {}
    if method == "GET":
        return actor.client.get(path, headers=headers)
    if path.startswith("/api/") or rule.endpoint == "cohorts.grading_cell":
        body = _api_body(rule.endpoint, world, actor.role)
        if rule.endpoint == "cohorts.grading_cell":
            body = {"enrolment": world.own["victim_enrolment_id"], "assessment": 1, "score": 1}
        return actor.client.post(path, data=json.dumps(body), headers=headers, content_type="application/json")
    if rule.endpoint in FORM_BODIES:
        data = FORM_BODIES[rule.endpoint](world)
    elif "GET" in rule.methods:
        data = _owner_form(world, path) or {}
    else:
        data = {}
    return actor.client.post(path, data=data, headers=headers)


def _refused(response, role: str) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return (role in ("anonymous", "scanner") and response.status_code == 302
            and "/login" in response.headers.get("Location", ""))


def _text(response) -> str:
    if response.mimetype.startswith(("text/", "application/json", "application/javascript")) \
            or response.mimetype.endswith(("+xml", "calendar")):
        return response.get_data(as_text=True)
    return ""


# -- the matrix -------------------------------------------------------------------
def _rules(app):
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))


TALLY = Counter()


def test_every_rule_can_be_filled(app, matrix_world):
    unfilled = [f"{rule.endpoint} {rule.rule}: {sorted(rule.arguments)}" for rule in _rules(app)
                if _path(rule, matrix_world) is None
                and not all((rule.endpoint, m) in EXEMPT for m in ("GET", "POST") if m in rule.methods)]
    assert not unfilled, ("add these arguments to `values` in tests/matrix_world.py, or the rules to EXEMPT "
                          "with the reason:\n" + "\n".join(unfilled))


# Routes of the attacker's own object, with another side's id in the body: what the client names
# is checked against the route's object, not only the object in the path (finding 1's pattern).
def _foreign_bodies(world):
    own, values = world.own, world.values
    return [
        ("trainer", f"/grading/{own['taught_cohort_id']}/cells", "json",
         {"enrolment": values["enrolment_id"], "assessment": own["taught_assessment_id"], "score": 1}),
        ("judge", f"/judge/entries/{own['judged_entry_id']}", "form", {f"a{values['aspect_id']}": "1"}),
        ("organiser", f"/console/events/{own['event_id']}/registrations/bulk", "form",
         {"ids": [own["victim_registration_id"]], "action": "cancel", "reason": "matrix"}),
        ("organiser", "/api/v1/checkins", "json",
         {"registration": own["victim_registration_id"], "checkpoint": own["checkpoint_id"]}),
        ("scanner", "/api/v1/checkins", "json",
         {"registration": own["victim_registration_id"], "checkpoint": own["checkpoint_id"]}),
    ]


def test_foreign_ids_in_the_body_of_own_routes(app, matrix_world):
    problems = []
    for role, path, kind, body in _foreign_bodies(matrix_world):
        actor = matrix_world.actors[role]
        headers = {"Authorization": f"Bearer {actor.bearer}"} if actor.bearer else {}
        before = fingerprint(app)
        if kind == "json":
            response = actor.client.post(path, data=json.dumps(body), headers=headers,
                                         content_type="application/json")
        else:
            response = actor.client.post(path, data=body, headers=headers)
        TALLY["requests"] += 1
        after = fingerprint(app)
        where = f"POST {path} {body} as {role}"
        if response.status_code >= 500:
            problems.append(f"{where}: {response.status_code}")
        leaked = [m for m in matrix_world.private if m in _text(response)]
        if leaked:
            problems.append(f"{where}: answer ({response.status_code}) shows another side's data {leaked[:3]}")
        changed = sorted(t for t in after if after[t] != before.get(t))
        if changed:
            problems.append(f"{where}: {response.status_code}, changed {changed}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_a_draft_event_is_seen_by_its_department_only(app, matrix_world, role):
    """Every page of one event, public ones included, with another department's draft."""
    actor = matrix_world.actors[role]
    headers = {"Authorization": f"Bearer {actor.bearer}"} if actor.bearer else {}
    problems = []
    for rule in _rules(app):
        if "GET" not in rule.methods or not rule.arguments or not rule.arguments <= {"event_id", "fmt"}:
            continue
        path = _path(rule, matrix_world).replace(f"/{matrix_world.values['event_id']}",
                                                 f"/{matrix_world.own['draft_event_id']}", 1)
        response = actor.client.get(path, headers=headers)
        TALLY["requests"] += 1
        if not _refused(response, role):
            problems.append(f"GET {path} [{rule.endpoint}] as {role}: answered {response.status_code}")
        leaked = [m for m in matrix_world.private if m in _text(response)]
        if leaked:
            problems.append(f"GET {path} [{rule.endpoint}] as {role}: shows {leaked[:3]}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_reads_or_changes_what_is_not_theirs(app, matrix_world, role):
    actor = matrix_world.actors[role]
    problems = []
    before = fingerprint(app)
    for rule in _rules(app):
        path = _path(rule, matrix_world)
        if path is None:
            continue
        cat = category(rule)
        for method in ("GET", "POST"):
            if method not in rule.methods or (rule.endpoint, method) in EXEMPT:
                continue
            response = _request(actor, method, path, rule, matrix_world)
            TALLY["requests"] += 1
            TALLY[f"{method} rules"] += 1 if role == ROLES[0] else 0
            where = f"{method} {path} [{rule.endpoint}, {cat}] as {role}"
            status = response.status_code
            if status >= 500:
                problems.append(f"{where}: {status}")
                continue
            refused = _refused(response, role)
            if must_refuse(cat, role, rule) and not refused:
                extra = f" -> {response.headers.get('Location')}" if status in (301, 302, 303) else ""
                problems.append(f"{where}: answered {status}{extra}, not refused")
            if role != "admin" and cat != "capability":
                body = _text(response)
                leaked = [m for m in matrix_world.private if m in body]
                if leaked:
                    problems.append(f"{where}: answer ({status}) shows another side's data {leaked[:3]}")
            if method == "POST" and role != "admin":
                after = fingerprint(app)
                if after != before:
                    changed = sorted(t for t in after if after[t] != before.get(t))
                    if checks_changes(cat, role):
                        problems.append(f"{where}: {status}, changed {changed}")
                    before = after
    print(f"\nroute matrix [{role}]: {TALLY['requests']} requests so far, {len(problems)} problems")
    assert not problems, f"{len(problems)} problems as {role}:\n" + "\n".join(problems)


def test_matrix_summary(app, matrix_world, capsys):
    rules = _rules(app)
    pairs = sum(1 for r in rules for m in ("GET", "POST") if m in r.methods and (r.endpoint, m) not in EXEMPT)
    with capsys.disabled():
        print(f"\nroute matrix: {len(rules)} rules, {pairs} rule×method pairs × {len(ROLES)} roles = "
              f"{pairs * len(ROLES)} cases; {TALLY['requests']} requests made")
