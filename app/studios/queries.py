"""What the studios tell other pages about an organisation: the masters it employs."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.organisations.linked import LinkedRow
from app.organisations.linking import identity_ids
from app.organisations.models import Organisation
from app.studios.models import Studio


def masters_of(organisation: Organisation) -> list[LinkedRow]:
    ids = identity_ids(organisation)
    return [LinkedRow(group=str(_l("Masters")), title=s.master.name, person_id=s.master_id, when=s.founded_on,
                      detail=f"{s.name} · {s.trade}", endpoint="studios.studio", args={"studio_id": s.id})
            for s in db.session.scalars(sa.select(Studio).where(Studio.master_organisation_id.in_(ids))
                                        .options(joinedload(Studio.master))
                                        .order_by(Studio.founded_on.desc(), Studio.id))]
