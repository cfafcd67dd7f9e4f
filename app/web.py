"""Small helpers shared by the HTML views."""
from __future__ import annotations

from functools import wraps

from flask import Response, abort, flash, redirect, request, stream_with_context
from flask_login import current_user, login_required
from werkzeug.wsgi import wrap_file
from wtforms import DateField as _DateField
from wtforms import DateTimeLocalField as _DateTimeLocalField
from wtforms import SelectMultipleField
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from app.errors import CORRECTABLE, InvalidInput, ServiceError
from app.extensions import db
from app.inputs import INT_MAX, PAGE_MAX, bounded_int
from app.timeutil import date_in_range, datetime_in_range, range_message
from app.transaction import commit
from app.urls import local_path


DATETIME_LOCAL = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (easier than a select box on a phone)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DateTimeLocalField(_DateTimeLocalField):
    """A Shanghai time typed into a form, within the years the system accepts (timeutil.EARLIEST..LATEST):
    year 0001 or 9999 is the field's error, not an overflow later. Checked before the field's
    validators (which would replace the message with "required"). Read and written in the format
    of the browser's datetime-local input unless told otherwise."""

    def __init__(self, label=None, validators=None, format=DATETIME_LOCAL, **kwargs):
        super().__init__(label, validators, format=format, **kwargs)

    def pre_validate(self, form):
        if self.data is not None and not datetime_in_range(self.data):
            raise StopValidation(str(range_message()))


class DateField(_DateField):
    def pre_validate(self, form):
        if self.data is not None and not date_in_range(self.data):
            raise StopValidation(str(range_message(dates=True)))


def roles_required(*roles):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


class FieldMessages(dict):
    """The form of a page whose inputs are not a WTForm (a grid of scores, a rubric editor, a
    sheet to import): perform() keeps a refusal's field messages here under the service's keys,
    for the page to show beside its inputs, and flashes `summary` instead of them (None: the
    error's own message; "": nothing). A refusal naming no field flashes its message."""

    def __init__(self, summary=None):
        super().__init__()
        self.summary = summary


def allowed(obj, require, about=None):
    """The object a URL names (fetched through its service) once `require(current_user, …)` lets
    the person have it; `require` is given `about(obj)`, what the permission is on (a cycle, a
    competition), or else the object itself, and refuses by raising PermissionDenied or NotFound."""
    require(current_user, obj if about is None else about(obj))
    return obj


def answers_json(view):
    """A page route fetched by a script: a ServiceError it raises is answered as JSON
    ({"code", "message", "fields"}, by main/errors.py), like the API's, for the script to show."""
    view.answers_json = True
    return view


def apply_errors(form, error: ServiceError, mapping: dict | None = None) -> None:
    """Put a service's field errors on the matching form fields; the rest go to flash, and are
    kept in `form.other_errors` by key for a page that shows them where they belong (a team's
    members are not fields of the form)."""
    if isinstance(form, FieldMessages):
        form.update({key: str(message) for key, message in (error.fields or {}).items()})
        summary = str(error.message) if not error.fields or form.summary is None else str(form.summary)
        if summary:
            flash(summary, "error")
        return
    mapping = mapping or {}
    unplaced = []
    for key, message in (error.fields or {}).items():
        name = mapping.get(key, key)
        field = form._fields.get(name) if form is not None else None
        if field is not None:
            field.errors = list(field.errors or []) + [str(message)]
        else:
            unplaced.append(str(message))
            if form is not None:
                form.other_errors = {**getattr(form, "other_errors", {}), key: str(message)}
    if unplaced or not error.fields:
        flash(" ".join(unplaced) or str(error.message), "error")


def perform(action, *, success, to, form=None, fields: dict | None = None, refused_to=None,
            refusals: tuple = (), category: str = "success"):
    """The one way a view runs a business action on a POST: call the one service, flush (the
    column checks of app/column_limits.py run there), commit once, flash `success` (a message, or
    a function of the action's result; `category` is its flash category, "info" for an undoing
    such as a withdrawal) and redirect to `to` (a URL, or a function of the action's result).

    When the service refuses with an error the person can correct (InvalidInput, Conflict, and
    the `refusals` a view names besides, such as registration closed), nothing is kept: with a
    `form` (a WTForm, or FieldMessages) its messages go onto the form's fields (`fields` maps the
    service's keys to the form's field names) and None is returned, so the view shows the form
    again. Without a form, or when `refused_to` is given and the refusal is of the state rather
    than the input (not an InvalidInput: closed, already applied), the messages are flashed and
    the redirect goes to `refused_to`, or else `to` (a function `to` then gets None). Permission
    and not-found errors reach their error pages through the one handler in main/errors.py, like
    every other ServiceError."""
    try:
        result = action()
        db.session.flush()
    except (*CORRECTABLE, *refusals) as exc:
        db.session.rollback()
        if form is not None and (refused_to is None or isinstance(exc, InvalidInput)):
            apply_errors(form, exc, fields)
            return None
        for message in [str(m) for m in (exc.fields or {}).values()] or [str(exc.message)]:
            flash(message, "error")
        target = refused_to if refused_to is not None else to
        return redirect(target(None) if callable(target) else target)
    commit()
    message = success(result) if callable(success) else success
    if message:
        flash(message, category)
    return redirect(to(result) if callable(to) else to)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(body, filename: str, mimetype: str = XLSX):
    """A file to save (exports are personal data: never kept by a cache or proxy). `body` is
    bytes, an iterator of byte chunks (streamed while the request's context lasts: a generator
    may read the database), or an open binary file (streamed in blocks, then closed)."""
    if hasattr(body, "read"):
        response = Response(wrap_file(request.environ, body), mimetype=mimetype, direct_passthrough=True)
    elif isinstance(body, bytes | str):
        response = Response(body, mimetype=mimetype)
    else:
        response = Response(stream_with_context(body), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def safe_next(default: str) -> str:
    return local_path(request.args.get("next") or request.form.get("next")) or default


def int_arg(name: str, minimum: int = 0, maximum: int | None = None) -> int | None:
    """A whole number from the query string, or None when absent, malformed or out of range
    (an id PostgreSQL cannot hold matches nothing, so it is the same as no filter)."""
    return bounded_int(request.args.get(name), minimum, INT_MAX if maximum is None else maximum)


def page_arg() -> int:
    return int_arg("page", 1, PAGE_MAX) or 1
