"""JSON API v1 for scanners, kiosks and integrations.

Authentication is by Bearer token only: the API is exempt from CSRF, so it must
never act on a browser's session cookie.
"""
from __future__ import annotations

from functools import wraps

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.accounts import services as accounts
from app.accounts import throttle
from app.accounts.models import ApiToken
from app.api.bp import bp
from app.api.openapi import build as openapi_document
from app.api.payload import Payload, json_object
from app.checkin import links
from app.checkin.services import event_checkpoints
from app.errors import InvalidInput, PermissionDenied
from app.events import queries as event_queries
from app.events import services as ev
from app.events.models import Event, EventKind, EventStatus
from app.extensions import db
from app.inputs import PAGE_MAX, bounded_int
from app.lifecycle import services as lifecycle
from app.registrations import services as reg
from app.registrations.models import Registration
from app.registrations.plain_registration import Placed, register_for_event
from app.registrations.queries import places_of_a_person
from app.tickets.services import ticket_url
from app.timeutil import iso
from app.transaction import commit
from app.urls import public_base_url


def _error(status: int, code: str, message: str, **extra):
    return jsonify(code=code, message=message, **extra), status


def committed(body: dict, status: int = 200):
    """The API's one commit per request, then its answer. The body is read from the rows before
    (the commit expires what it would read)."""
    commit()
    return jsonify(body), status


def _bearer_secret() -> str:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.startswith("Bearer ") else ""


def _bearer_user():
    secret = _bearer_secret()
    return accounts.user_for_api_token(secret) if secret else None


def _account_required(find):
    """A decorator: the view runs for the account `find` gives the Bearer token (`g.api_user`), else 401."""
    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            secret = _bearer_secret()
            account = find(secret) if secret else None
            if account is None:
                return _error(401, "unauthenticated", _("A valid Bearer token is required."))
            g.api_user = account
            return view(*args, **kwargs)
        return wrapped
    return decorate


token_required = _account_required(accounts.user_for_api_token)
# For a view that reads only who the account is and how notices reach them (`accounts.TokenHolder`).
holder_required = _account_required(accounts.holder_of_api_token)


def scanner_required(view):
    """Check-in endpoints: an account's API token, or a scanner link, which may do nothing else."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        secret = _bearer_secret()
        if secret.startswith(links.PREFIX):
            link = links.link_for_secret(secret)
            g.scanner = links.ScannerAccess(link=link) if link else None
        else:
            user = accounts.scanner_for_api_token(secret) if secret else None
            g.scanner = links.ScannerAccess(user=user) if user else None
        if g.scanner is None:
            message = (_("This scanner link has expired or was revoked.") if secret.startswith(links.PREFIX)
                       else _("A valid Bearer token is required."))
            return _error(401, "unauthenticated", message)
        return view(*args, **kwargs)
    return wrapped


# -- auth ---------------------------------------------------------------------
@bp.route("/auth/token", methods=["POST"])
@throttle.sign_in_api
def auth_token():
    p = Payload(json_object())
    login, password = p.str("login", required=True, max_length=254), p.str("password", required=True, max_length=200)
    name = p.str("name", column=ApiToken.name)
    p.done()
    user = accounts.authenticate(login, password)
    token = accounts.issue_api_token(user, name)
    return committed({"token": token, "token_type": "Bearer",
                      "user": {"id": user.id, "name": user.name, "roles": sorted(user.roles)}})


# -- events -------------------------------------------------------------------
def event_json(event: Event, detail: bool = False) -> dict:
    data = {
        "id": event.id, "title": event.title, "kind": event.kind, "status": event.status,
        "series": {"id": event.series.id, "slug": event.series.slug, "name": event.series.name}
        if event.series else None,
        "department": event.department.name, "venue": event.venue, "address": event.address,
        "starts_at": iso(event.starts_at), "ends_at": iso(event.ends_at), "capacity": event.capacity,
        "requires_approval": event.requires_approval,
        "registration_opens_at": iso(event.registration_opens_at),
        "registration_closes_at": iso(event.registration_closes_at),
        "registration_open": event.registration_open(),
        "format": event.format, "invited_only": event.invited_only,
    }
    if detail:
        data["description"] = event.description
        data["seats_left"] = reg.seats_left(event)
        data["sessions"] = [{"id": s.id, "title": s.title, "starts_at": iso(s.starts_at),
                             "ends_at": iso(s.ends_at), "room": s.room, "speaker": s.speaker,
                             "capacity": s.capacity} for s in event.sessions]
        data["questions"] = [{"id": q.id, "label": q.label, "kind": q.kind, "required": q.required,
                              "help_text": q.help_text, "choices": q.choices or []} for q in event.questions]
        data["checkpoints"] = [{"id": c.id, "name": c.name, "session": c.session_id}
                               for c in event_checkpoints(event)]
    return data


def _page_args() -> tuple[int, int]:
    largest = current_app.config["API_PAGE_SIZE_MAX"]
    page = bounded_int(request.args.get("page", "1"), 1, PAGE_MAX)
    per_page = bounded_int(request.args.get("per_page", "50"), 1, largest)
    errors = {}
    if page is None:
        errors["page"] = _("page is a whole number from 1 to %(n)s.", n=PAGE_MAX)
    if per_page is None:
        errors["per_page"] = _("per_page is a whole number from 1 to %(n)s.", n=largest)
    if errors:
        raise InvalidInput(fields=errors, code="invalid_input")
    return page, per_page


def page_of(query):
    """The page of `query` the request's `page` and `per_page` ask for (their count included)."""
    page, per_page = _page_args()
    return db.paginate(query, page=page, per_page=per_page, error_out=False, count=True)


def envelope(result, items: list) -> dict:
    """The API's paged answer: the page's `items` with where they stand in the whole list."""
    return {"items": items, "page": result.page, "per_page": result.per_page, "total": result.total,
            "pages": result.pages}


def _paged(query, serialise):
    result = page_of(query)
    return jsonify(envelope(result, [serialise(x) for x in result.items]))


@bp.route("/events", methods=["GET"])
def events_list():
    f = ev.EventFilter(status=EventStatus.PUBLISHED.value, kind=request.args.get("kind") or None,
                       upcoming=request.args.get("upcoming", "1") != "0", public=True)
    series = request.args.get("series")
    if series:
        f.series_id = bounded_int(series) if series.isdigit() else ev.get_series(series).id
        if f.series_id is None:
            raise InvalidInput(fields={"series": _("No such series.")}, code="invalid_input")
    query = ev.filtered_events(f).options(joinedload(Event.series), joinedload(Event.department))  # event_json
    return _paged(query.order_by(Event.starts_at, Event.id), event_json)


@bp.route("/events/<int:event_id>", methods=["GET"])
def event_detail(event_id: int):
    user = _bearer_user()
    event = reg.get_public_event(event_id, user)
    return jsonify(event_json(event, detail=True))


@bp.route("/events", methods=["POST"])
@token_required
def event_create():
    p = Payload(json_object())
    user = g.api_user
    if not user.is_staff:
        raise PermissionDenied()
    data = {
        "title": p.str("title", required=True, column=Event.title),
        "venue": p.str("venue", required=True, column=Event.venue),
        "address": p.str("address", column=Event.address, default=""),
        "description": p.str("description", column=Event.description, default=""),
        "kind": p.choice("kind", [k.value for k in EventKind], required=True),
        "capacity": p.int("capacity", minimum=1, maximum=100000),
        "requires_approval": p.bool("requires_approval"),
        "status": p.choice("status", [s.value for s in EventStatus], default=EventStatus.DRAFT.value),
    }
    for key in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        data[key] = p.datetime(key, required=key in ("starts_at", "ends_at"))
    department = p.any_of("department", (int, str), _("Give the owner department by id, code or name."))
    series = p.any_of("series", (int, str), _("No such series."))
    p.done()
    errors: dict = {}
    data["department_id"] = _department_id(department, errors)
    if series is not None:
        data["series_id"] = _series_id(series, errors)
    if errors:
        raise InvalidInput(fields=errors, code="invalid_input")
    event = lifecycle.create_event(user, **data)
    return committed(event_json(event, detail=True), 201)


def _series_id(value, errors) -> int | None:
    if isinstance(value, int):
        return value
    found = event_queries.series_id_for_slug(value)
    if found is None:
        errors["series"] = _("No such series.")
    return found


def _department_id(value, errors) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value:
        dept = event_queries.department_id_for(value)
        if dept:
            return dept
    errors["department"] = _("Give the owner department by id, code or name.")
    return None


# -- registrations ------------------------------------------------------------
def registration_json(registration: Registration, *, position: int | None = None, full: bool = False) -> dict:
    data = {"id": registration.id, "event_id": registration.event_id, "status": registration.status,
            "waitlist_position": position, "created_at": iso(registration.created_at)}
    if full:
        user = registration.user
        data["attendee"] = {"id": user.id, "name": user.name, "mobile_masked": user.mobile_masked,
                            "employer": user.employer}
        data["answers"] = {str(k): v for k, v in registration.answer_map().items()}
    return data


@bp.route("/events/<int:event_id>/registrations", methods=["POST"])
@holder_required
def register(event_id: int):
    body = request.get_json(silent=True)
    if body is None and not request.data:
        body = {}
    if not isinstance(body, dict):
        raise InvalidInput(_("The request body must be a JSON object."), code="malformed")
    p = Payload(body)
    answers, sessions = p.object("answers"), p.id_list("sessions")
    p.done()
    registration = register_for_event(g.api_user, event_id, answers, sessions)
    # Serialised before the commit, which expires the loaded attributes.
    known = registration.position if isinstance(registration, Placed) else None  # read with the write
    data = registration_json(registration, position=known or reg.waitlist_position(registration))
    data["ticket_url"] = ticket_url(registration)
    return committed(data, 201)


@bp.route("/events/<int:event_id>/registrations", methods=["GET"])
@token_required
def registrations_list(event_id: int):
    event = ev.get_event(event_id)
    status = request.args.get("status") or None
    query = reg.event_registrations(g.api_user, event, status=status)
    return _paged(query, lambda r: registration_json(r, full=True))


@bp.route("/me/registrations", methods=["GET"])
@token_required
def my_registrations():
    registrations = reg.user_registrations(g.api_user)
    positions, _sessions = places_of_a_person(registrations)  # every waiting place in one statement
    items = []
    for r in registrations:
        data = registration_json(r, position=positions.get(r.id))
        data["ticket_url"] = ticket_url(r)
        items.append(data)
    return jsonify(items=items)


@bp.route("/registrations/<int:registration_id>/cancel", methods=["POST"])
@token_required
def cancel(registration_id: int):
    registration = reg.get_registration(registration_id)
    reg.require_owner_or_manager(g.api_user, registration)
    reg.cancel(g.api_user, registration)
    return committed(registration_json(registration))


@bp.route("/openapi.json")
def openapi():
    spec = openapi_document()
    spec["servers"] = [{"url": public_base_url() + "/api/v1"}]
    return jsonify(spec)
