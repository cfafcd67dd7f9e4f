"""The organiser's online section of an event: the online part, invitations (universities, a list
of people), the join links, attendance on-site / online / either, per university, 参会证明."""
from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.events import queries
from app.online import certificates, figures, invitations, notices, parts
from app.online.bp import bp, staff
from app.online.forms import OnlinePartForm, PeopleForm, UniversitiesForm
from app.web import perform


def _back(event) -> str:
    return url_for("online.console", event_id=event.id)


def _forms(event):
    part = parts.part_of(event)
    part_form = OnlinePartForm(obj=part, prefix="part")
    universities = UniversitiesForm(prefix="uni")
    universities.organisation_ids.choices = [SelectChoice(o.id, o.name) for o in invitations.partner_universities()]
    return part, part_form, universities, PeopleForm(prefix="people")


def _page(event, part, part_form, universities, people):
    return render_template("online/console.html", event=event, part=part, part_form=part_form,
                           universities_form=universities, people_form=people,
                           invitations=invitations.university_invitations(event),
                           summary=figures.summary(event),
                           university_rows=figures.university_rows(current_user, event))


@bp.route("/console/events/<int:event_id>/online")
@staff
def console(event_id: int):
    event = queries.managed_event(current_user, event_id)
    return _page(event, *_forms(event))


@bp.route("/console/events/<int:event_id>/online", methods=["POST"])
@staff
def save_part(event_id: int):
    event = queries.managed_event(current_user, event_id)
    part, form, universities, people = _forms(event)
    if form.validate_on_submit() and (done := perform(
            lambda: parts.save_part(current_user, event, stream_url=form.stream_url.data or "",
                                    access_code=form.access_code.data or "",
                                    reveal_minutes=form.reveal_minutes.data,
                                    attended_minutes=form.attended_minutes.data,
                                    replay_url=form.replay_url.data or ""),
            form=form, success=_("The online part is saved."), to=_back(event), refused_to=_back(event))):
        return done
    return _page(event, part, form, universities, people), 400


@bp.route("/console/events/<int:event_id>/online/universities", methods=["POST"])
@staff
def invite_universities(event_id: int):
    event = queries.managed_event(current_user, event_id)
    part, form, universities, people = _forms(event)
    if universities.validate_on_submit() and (done := perform(
            lambda: invitations.invite_universities(current_user, event, universities.organisation_ids.data or []),
            form=universities, success=lambda made: ngettext("%(num)s university invited.",
                                                             "%(num)s universities invited.", len(made)),
            to=_back(event))):
        return done
    return _page(event, part, form, universities, people), 400


def _invite_people(event, form: PeopleForm):
    """A chosen workbook is the list; otherwise the pasted numbers."""
    upload = form.file.data
    if upload is not None and getattr(upload, "filename", None):
        return invitations.invite_people_from_sheet(current_user, event, upload.read())
    return invitations.invite_people(current_user, event, form.mobiles.data or "")


@bp.route("/console/events/<int:event_id>/online/people", methods=["POST"])
@staff
def invite_people(event_id: int):
    event = queries.managed_event(current_user, event_id)
    part, form, universities, people = _forms(event)
    if people.validate_on_submit() and (done := perform(
            lambda: _invite_people(event, people),
            form=people, success=lambda made: ngettext("%(num)s person invited.", "%(num)s people invited.",
                                                       len(made)),
            to=_back(event))):
        return done
    return _page(event, part, form, universities, people), 400


@bp.route("/console/events/<int:event_id>/online/join-links", methods=["POST"])
@staff
def send_join_links(event_id: int):
    event = queries.managed_event(current_user, event_id)
    return perform(lambda: notices.send_join_links(current_user, event),
                   success=lambda n: ngettext("%(num)s join link sent.", "%(num)s join links sent.", n),
                   to=_back(event))


@bp.route("/console/events/<int:event_id>/online/certificates", methods=["POST"])
@staff
def issue_certificates(event_id: int):
    event = queries.managed_event(current_user, event_id)
    return perform(lambda: certificates.issue_attendance(current_user, event),
                   success=lambda result: ngettext("%(num)s certificate issued.", "%(num)s certificates issued.",
                                                   len(result.issued)),
                   to=_back(event))
