"""The organisations blueprint object and its access decorator (view modules import this module;
app/organisations/blueprint.py imports them)."""
from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.accounts.models import Role
from app.organisations.industries import INDUSTRIES
from app.organisations.models import HOST_STATUS_LABELS, KIND_LABELS, SIZE_LABELS, STATUS_LABELS
from app.web import roles_required

bp = Blueprint("organisations", __name__, url_prefix="/console/organisations")
staff = roles_required(Role.ADMIN, Role.ORGANISER)  # the services check it too (require_staff)
AUDIT_ACTIONS = {"organisation.create": _l("Organisation registered"), "organisation.update": _l("Organisation edited"),
                 "organisation.merge": _l("A duplicate merged into it"),
                 "organisation.contact_add": _l("Contact added"), "organisation.contact_remove": _l("Contact removed")}


@bp.context_processor
def _organisation_labels():
    return {"ORGANISATION_KINDS": KIND_LABELS, "ORGANISATION_SIZES": SIZE_LABELS,
            "HOST_STATUSES": HOST_STATUS_LABELS, "INDUSTRIES": INDUSTRIES,
            "ORGANISATION_STATUSES": STATUS_LABELS, "AUDIT_ACTIONS": AUDIT_ACTIONS}
