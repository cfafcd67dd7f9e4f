"""Event management in the organiser console: events, agenda, questions, registrations, exports, series."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.accounts.models import Role
from app.checkin import services as checkin
from app.checkin.exports import attendance_export as attendance_sheet
from app.events import queries
from app.events import services as ev
from app.event_pages.bp import console as bp
from app.event_pages.organisations import section as organisations_section
from app.events.forms import CancelForm, EventForm, QuestionForm, SeriesForm, SessionForm
from app.events.models import EventKind, EventStatus, plain_number
from app.extensions import db
from app.inputs import int_list
from app.lifecycle import agenda
from app.lifecycle import services as lifecycle
from app.online import figures as online_figures
from app.registrations import bulk, export
from app.registrations import queries as registration_queries
from app.registrations import services as reg
from app.registrations.models import RegStatus
from app.timeutil import local_to_utc, to_local
from app.transaction import commit
from app.uploads import save_image
from app.web import download, int_arg, page_arg, perform, roles_required

staff_only = roles_required(Role.ADMIN, Role.ORGANISER)
PAGE = 50


def _series_choices(event=None):
    """The series the organiser may put events on, and the event's own (which stays selectable)."""
    usable = ev.usable_series(current_user)
    if event is not None and event.series is not None and event.series not in usable:
        usable.append(event.series)
    return usable


def _event_data(form: EventForm) -> dict:
    return {
        "title": form.title.data, "series_id": form.series_id.data or None, "kind": form.kind.data,
        "department_id": form.department_id.data, "venue": form.venue.data, "address": form.address.data or "",
        "starts_at": local_to_utc(form.starts_at.data), "ends_at": local_to_utc(form.ends_at.data),
        "description": form.description.data or "", "capacity": form.capacity.data,
        "requires_approval": form.requires_approval.data,
        "registration_opens_at": local_to_utc(form.registration_opens_at.data),
        "registration_closes_at": local_to_utc(form.registration_closes_at.data),
        "wall_names": form.wall_names.data, "format": form.format.data, "invited_only": form.invited_only.data,
    }


def _managed_event(event_id: int):
    return queries.managed_event(current_user, event_id)


def _local_naive(value):
    local = to_local(value)
    return local.replace(tzinfo=None) if local else None


@bp.route("/")
@staff_only
def index():
    return redirect(url_for("console.events"))


@bp.route("/events")
@staff_only
def events():
    f = ev.EventFilter(series_id=int_arg("series"), kind=request.args.get("kind") or None,
                       department_id=int_arg("department"), status=request.args.get("status") or None,
                       q=request.args.get("q") or None)
    rows = ev.console_events(current_user, f)
    counts = registration_queries.status_counts_by_event([e.id for e in rows])
    return render_template("console/events.html", events=rows, counts=counts, filter=f,
                           series=queries.all_series(), departments=ev.managed_departments(current_user))


@bp.route("/events/new", methods=["GET", "POST"])
@staff_only
def event_new():
    form = EventForm()
    form.set_choices(_series_choices(), ev.managed_departments(current_user))

    def create():
        event = ev.create_event(current_user, **_event_data(form))
        if form.cover.data:
            ev.set_cover_image(current_user, event, save_image(form.cover.data))
        return event

    if form.validate_on_submit() and (done := perform(
            create, form=form,
            success=_("The event is saved as a draft. Add its agenda and questions, then publish it."),
            to=lambda event: url_for("console.event", event_id=event.id))):
        return done
    return render_template("console/event_form.html", form=form, event=None)


@bp.route("/events/<int:event_id>")
@staff_only
def event(event_id: int):
    event = _managed_event(event_id)
    return render_template("console/event.html", event=event, counts=reg.status_counts(event.id),
                           session_counts=reg.session_confirmed_counts(event), cancel_form=CancelForm(),
                           choices_text=ev.choices_text, **organisations_section(event))


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@staff_only
def event_edit(event_id: int):
    event = _managed_event(event_id)
    form = EventForm(obj=event)
    form.set_choices(_series_choices(event), ev.managed_departments(current_user))
    if request.method == "GET":
        form.series_id.data = event.series_id or 0
        for key in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            getattr(form, key).data = _local_naive(getattr(event, key))

    def save():
        data = _event_data(form)
        capacity = data.pop("capacity")
        ev.update_event(current_user, event, **data)
        if capacity != event.capacity:
            promoted = lifecycle.set_capacity(current_user, event, capacity)
            if promoted:
                flash(ngettext("%(num)s person moved up from the waiting list.",
                               "%(num)s people moved up from the waiting list.", len(promoted)), "info")
        if form.cover.data:
            ev.set_cover_image(current_user, event, save_image(form.cover.data))

    if form.validate_on_submit() and (done := perform(
            save, form=form, success=_("Changes saved."), to=url_for("console.event", event_id=event.id))):
        return done
    return render_template("console/event_form.html", form=form, event=event)


@bp.route("/events/<int:event_id>/publish", methods=["POST"])
@staff_only
def event_publish(event_id: int):
    event = ev.get_event(event_id)
    return perform(lambda: lifecycle.publish_event(current_user, event), success=_("The event is published."),
                   to=url_for("console.event", event_id=event.id))


@bp.route("/events/<int:event_id>/cancel", methods=["POST"])
@staff_only
def event_cancel(event_id: int):
    event = ev.get_event(event_id)
    form = CancelForm()
    if not form.validate_on_submit():
        abort(400)
    return perform(lambda: lifecycle.cancel_event(current_user, event, form.reason.data or ""),
                   success=_("The event is cancelled and registrants are notified."), category="info",
                   to=url_for("console.event", event_id=event.id))


@bp.route("/events/<int:event_id>/duplicate", methods=["POST"])
@staff_only
def event_duplicate(event_id: int):
    event = ev.get_event(event_id)
    return perform(lambda: ev.duplicate_event(current_user, event),
                   success=_("A draft copy was created; adjust its dates before publishing."),
                   to=lambda copy: url_for("console.event_edit", event_id=copy.id),
                   refused_to=url_for("console.event", event_id=event.id))


def _delete(delete, child, said: str, anchor: str):
    """Delete an agenda session or a question, back to that part of the event's page."""
    return perform(lambda: delete(current_user, child), success=said, category="info",
                   to=url_for("console.event", event_id=child.event_id) + anchor)


# -- agenda -------------------------------------------------------------------
@bp.route("/events/<int:event_id>/sessions/new", methods=["GET", "POST"])
@bp.route("/events/<int:event_id>/sessions/<int:session_id>", methods=["GET", "POST"])
@staff_only
def session_form(event_id: int, session_id: int | None = None):
    event = _managed_event(event_id)
    session = queries.event_session(event.id, session_id) if session_id is not None else None
    form = SessionForm(obj=session)
    if request.method == "GET" and session:
        form.starts_at.data, form.ends_at.data = _local_naive(session.starts_at), _local_naive(session.ends_at)
    if form.validate_on_submit() and (done := perform(
            lambda: agenda.save_session(
                current_user, event, title=form.title.data, starts_at=local_to_utc(form.starts_at.data),
                ends_at=local_to_utc(form.ends_at.data), room=form.room.data, speaker=form.speaker.data,
                capacity=form.capacity.data, session=session),
            form=form, success=_("Agenda saved."), to=url_for("console.event", event_id=event.id) + "#agenda")):
        return done
    return render_template("console/session_form.html", form=form, event=event, session=session)


@bp.route("/events/<int:event_id>/sessions/<int:session_id>/delete", methods=["POST"])
@staff_only
def session_delete(event_id: int, session_id: int):
    return _delete(agenda.delete_session, queries.event_session(event_id, session_id), _("Session deleted."), "#agenda")


# -- questions ----------------------------------------------------------------
@bp.route("/events/<int:event_id>/questions/new", methods=["GET", "POST"])
@bp.route("/events/<int:event_id>/questions/<int:question_id>", methods=["GET", "POST"])
@staff_only
def question_form(event_id: int, question_id: int | None = None):
    event = _managed_event(event_id)
    question = queries.event_question(event.id, question_id) if question_id is not None else None
    form = QuestionForm(obj=question)
    if request.method == "GET" and question:
        form.choices.data = ev.choices_text(question)
        form.min_value.data, form.max_value.data = (
            "" if v is None else plain_number(v) for v in (question.min_value, question.max_value))
    if form.validate_on_submit() and (done := perform(
            lambda: ev.save_question(
                current_user, event, label=form.label.data, kind=form.kind.data, required=form.required.data,
                help_text=form.help_text.data or "", choices=ev.parse_choices(form.choices.data),
                position=form.position.data, question=question, max_length=form.max_length.data,
                min_value=form.min_value.data, max_value=form.max_value.data),
            form=form, success=_("Question saved."),
            to=url_for("console.event", event_id=event.id) + "#questions")):
        return done
    return render_template("console/question_form.html", form=form, event=event, question=question)


@bp.route("/events/<int:event_id>/questions/<int:question_id>/delete", methods=["POST"])
@staff_only
def question_delete(event_id: int, question_id: int):
    return _delete(ev.delete_question, queries.event_question(event_id, question_id), _("Question deleted."),
                   "#questions")


# -- registrations ------------------------------------------------------------
@bp.route("/events/<int:event_id>/registrations")
@staff_only
def registrations(event_id: int):
    event = ev.get_event(event_id)
    status = request.args.get("status") if request.args.get("status") in {s.value for s in RegStatus} else None
    query = reg.event_registrations(current_user, event, status=status, q=request.args.get("q"))
    page = db.paginate(query, page=page_arg(), per_page=PAGE, error_out=False)
    return render_template("console/registrations.html", event=event, page=page, status=status,
                           counts=reg.status_counts(event.id),
                           positions=registration_queries.waitlist_positions(event, [r.id for r in page.items]))


def _approved(result: dict) -> str:
    return _("Approved: %(c)s confirmed, %(w)s to the waiting list, %(s)s skipped (not pending).",
             c=result["confirmed"], w=result["waitlisted"], s=result["skipped"])


# action: (service, message from its result, flash category)
BULK_ACTIONS = {
    "approve": (lambda actor, chosen, _reason: reg.approve(actor, chosen), _approved, "success"),
    "reject": (reg.reject, lambda n: ngettext("%(num)s registration rejected.",
                                              "%(num)s registrations rejected.", n), "info"),
    "cancel": (bulk.cancel_active, lambda n: ngettext("%(num)s registration cancelled.",
                                                      "%(num)s registrations cancelled.", n), "info"),
}


@bp.route("/events/<int:event_id>/registrations/bulk", methods=["POST"])
@staff_only
def registrations_bulk(event_id: int):
    event = _managed_event(event_id)
    chosen = registration_queries.chosen_registrations(event, int_list(request.form.getlist("ids")))
    back = request.form.get("back") or url_for("console.registrations", event_id=event.id)
    if not chosen:
        flash(_("Select at least one registration."), "error")
        return redirect(back)
    if request.form.get("action") not in BULK_ACTIONS:
        abort(400)
    run, said, category = BULK_ACTIONS[request.form["action"]]
    reason = request.form.get("reason", "")
    return perform(lambda: run(current_user, chosen, reason), success=said, category=category, to=back)


@bp.route("/events/<int:event_id>/registrations.<fmt>")
@staff_only
def registrations_export(event_id: int, fmt: str):
    if fmt not in ("xlsx", "csv"):
        abort(404)
    event = ev.get_event(event_id)
    full = request.args.get("full") == "1"
    header, rows = export.export_rows(current_user, event, full=full)
    commit()  # the audit row of who exported what
    name = f"registrations-{event.id}{'-full' if full else ''}.{fmt}"
    if fmt == "xlsx":
        return download(export.xlsx_stream(event.title, header, rows), name)
    return download(export.csv_stream(header, rows), name, "text/csv; charset=utf-8")


# -- attendance ---------------------------------------------------------------
@bp.route("/events/<int:event_id>/attendance")
@staff_only
def attendance(event_id: int):
    event = _managed_event(event_id)
    return render_template("console/attendance.html", event=event, summary=checkin.attendance(event),
                           scans=checkin.scan_log(event), conflicts=checkin.conflicts(event),
                           online=online_figures.summary(event) if event.has_online else None)


@bp.route("/events/<int:event_id>/attendance.xlsx")
@staff_only
def attendance_export(event_id: int):
    event = _managed_event(event_id)
    header, rows = attendance_sheet(current_user, event)
    if event.has_online:
        header, rows = online_figures.with_online_columns(event, header, rows)
    commit()  # the audit row of who exported what
    return download(export.xlsx_stream(event.title, header, rows), f"attendance-{event.id}.xlsx")


# -- series -------------------------------------------------------------------
@bp.route("/series")
@staff_only
def series_list():
    return render_template("console/series.html", series=queries.all_series(),
                           mine={s.id for s in ev.usable_series(current_user)})


@bp.route("/series/new", methods=["GET", "POST"])
@bp.route("/series/<int:series_id>", methods=["GET", "POST"])
@staff_only
def series_form(series_id: int | None = None):
    series = queries.managed_series(current_user, series_id) if series_id else None
    form = SeriesForm(obj=series)
    departments = ev.managed_departments(current_user)
    form.department_id.choices = [SelectChoice(d.id, d.name) for d in departments]
    department = next((d for d in departments if d.id == form.department_id.data), None)
    if form.validate_on_submit() and (done := perform(
            lambda: ev.save_series(current_user, name=form.name.data, slug=form.slug.data.strip(),
                                         description=form.description.data or "", department=department,
                                         series=series),
            form=form, success=_("Series saved."), to=url_for("console.series_list"))):
        return done
    return render_template("console/series_form.html", form=form, series=series)


@bp.app_context_processor
def _console_globals():
    return {"EVENT_KINDS": list(EventKind), "EVENT_STATUSES": list(EventStatus)}
