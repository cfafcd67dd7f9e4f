"""The event management page's organisations section: find an organisation in the registry, add it
as co-organiser, participating company or host university, remove it."""
from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Role
from app.event_pages.bp import console as bp
from app.events import organisations as event_organisations
from app.events import queries
from app.events.models import EVENT_ORGANISATION_ROLE_LABELS
from app.organisations import services as registry
from app.web import perform, roles_required

FOUND = 10
staff_only = roles_required(Role.ADMIN, Role.ORGANISER)  # the services check the event's department


def section(event) -> dict:
    """What the event's page shows of its organisations: those listed, and the search's results."""
    q = (request.args.get("org_q") or "").strip()[:100]
    found = registry.search_organisations(current_user, q, per_page=FOUND).items if q else []
    return {"event_organisations": event_organisations.organisations_of(event), "org_q": q, "org_found": found,
            "ORGANISATION_ROLES": EVENT_ORGANISATION_ROLE_LABELS}


def _back(event_id: int) -> str:
    return url_for("console.event", event_id=event_id) + "#organisations"


@bp.route("/events/<int:event_id>/organisations", methods=["POST"])
@staff_only
def organisation_add(event_id: int):
    event = queries.managed_event(current_user, event_id)
    chosen, role = request.form.get("organisation_id"), request.form.get("role", "")
    return perform(lambda: event_organisations.add_organisation(current_user, event, chosen, role),
                   success=_("Organisation added to the event."), to=_back(event.id))


@bp.route("/events/<int:event_id>/organisations/<int:event_organisation_id>/delete", methods=["POST"])
@staff_only
def organisation_remove(event_id: int, event_organisation_id: int):
    event = queries.managed_event(current_user, event_id)
    return perform(lambda: event_organisations.remove_organisation(current_user, event, event_organisation_id),
                   success=_("Organisation removed from the event."), category="info", to=_back(event.id))
