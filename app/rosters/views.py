"""Roster pages: organisers' list per kind (with referral counts), appointing and editing a member,
suspending, reinstating or ending them, their 聘书, the XLSX export; the public referral link
/r/<code>; the ambassador's or officer's own page /me/referrals."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app.accounts.models import Role
from app.cohorts.selection.access import open_cycles
from app.events.services import EventFilter, managed_departments, public_events
from app.rosters import letters, referrals, services, sheets
from app.rosters.bp import bp
from app.rosters.forms import EditMemberForm, MemberForm
from app.rosters.models import RosterKind
from app.tickets.services import qr_data_uri
from app.transaction import commit
from app.urls import local_path
from app.web import download, perform, roles_required

staff = roles_required(Role.ADMIN, Role.ORGANISER)  # the services check the member's department too


def _kind() -> RosterKind:
    value = request.args.get("kind") or RosterKind.MENTOR.value
    try:
        return RosterKind(value)
    except ValueError:
        abort(404)


def _organisation_choices(form) -> None:
    form.organisation_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(o.id, o.name) for o in services.organisation_choices()]


@bp.route("/console/rosters/")
@staff
def index():
    kind = _kind()
    members = services.members_for(current_user, kind)
    return render_template("rosters/list.html", kind=kind, kinds=list(RosterKind), members=members,
                           credits=referrals.credits(members),
                           can_add=bool(managed_departments(current_user)))


@bp.route("/console/rosters/new", methods=["GET", "POST"])
@staff
def new():
    kind = _kind()
    departments = managed_departments(current_user)
    if not departments:
        abort(403)
    form = MemberForm()
    form.department_id.choices = [SelectChoice(d.id, d.name) for d in departments]
    _organisation_choices(form)

    def save():
        department = next((d for d in departments if d.id == form.department_id.data), None)
        if department is None:
            abort(403)
        return services.appoint(current_user, kind=kind, user=services.person_by_mobile(form.mobile.data),
                                department=department, term_from=form.term_from.data, term_to=form.term_to.data,
                                expertise=form.expertise.data or "", organisation_id=form.organisation_id.data)

    if form.validate_on_submit() and (done := perform(
            save, success=_("Appointment recorded."), form=form,
            to=lambda m: url_for("rosters.member", member_id=m.id))):
        return done
    return render_template("rosters/form.html", form=form, kind=kind, member=None)


@bp.route("/console/rosters/<int:member_id>")
@staff
def member(member_id: int):
    m = services.managed_member(current_user, member_id)
    return render_template("rosters/member.html", member=m, credit=referrals.credits([m])[m.id],
                           link=referrals.link_for(m), letters=letters.letters_of(current_user, m))


@bp.route("/console/rosters/<int:member_id>/edit", methods=["GET", "POST"])
@staff
def edit(member_id: int):
    m = services.managed_member(current_user, member_id)
    form = EditMemberForm(obj=m)
    _organisation_choices(form)
    if form.validate_on_submit() and (done := perform(
            lambda: services.update_member(current_user, m, term_from=form.term_from.data, term_to=form.term_to.data,
                                           expertise=form.expertise.data or "",
                                           organisation_id=form.organisation_id.data),
            success=_("Appointment saved."), form=form, to=url_for("rosters.member", member_id=m.id))):
        return done
    return render_template("rosters/form.html", form=form, kind=m.kind_enum, member=m)


@bp.route("/console/rosters/<int:member_id>/status", methods=["POST"])
@staff
def status(member_id: int):
    m = services.managed_member(current_user, member_id)
    return perform(lambda: services.set_status(current_user, m, request.form.get("status", ""),
                                               note=request.form.get("note", "")),
                   success=_("Status changed."), to=url_for("rosters.member", member_id=m.id))


@bp.route("/console/rosters/<int:member_id>/letter", methods=["POST"])
@staff
def letter(member_id: int):
    m = services.managed_member(current_user, member_id)
    return perform(lambda: letters.issue_letter(current_user, m),
                   success=lambda r: _("Appointment letter issued.") if r.issued
                   else _("A current appointment letter exists already."),
                   to=url_for("rosters.member", member_id=m.id))


@bp.route("/console/rosters/export.xlsx")
@staff
def export():
    kind = _kind()
    body = sheets.export_xlsx(current_user, kind)
    commit()  # the audit row of who exported the roster
    return download(body, f"roster-{kind.value}.xlsx")


# -- the referral link and the referrer's own page -----------------------------------------------
@bp.route("/r/<code>")
def referral(code: str):
    """Remember the referral (if its holder serves) and go on to the page it points at, or home."""
    referrals.follow(code[:40])
    return redirect(local_path(request.args.get("to")) or url_for("main.home"))


@bp.route("/me/referrals")
@login_required
def my_referrals():
    mine = [m for m in services.appointments_of(current_user) if m.referral_code]
    credit = referrals.credits(mine)
    links = {m.id: referrals.link_for(m) for m in mine}
    targets = [(e.title, url_for("events.detail", event_id=e.id))
               for e in public_events(EventFilter(upcoming=True))[:20]]
    targets += [(c.programme.name + " · " + c.name, url_for("cohorts.camp", cycle_id=c.id))
                for c in open_cycles() if c.applications_open()]
    return render_template("rosters/mine.html", members=mine, credits=credit, links=links,
                           qr={m.id: qr_data_uri(links[m.id]) for m in mine}, targets=targets,
                           link_for=referrals.link_for)
