"""The registry's lists issue as many statements at 200 rows as at 10 (issue 19): the list of
organisations, the duplicates, the export, the API's list, an organisation's contacts, its page
across programmes (its employees) and the talent stations with their export."""
from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.organisations.employees import EmployerLink
from app.organisations.models import Organisation, OrganisationContact
from app.organisations.names import normalise_name
from tests.conftest import login
from tests.fixtures.accounts import api_token
from tests.fixtures.list_rows import people


@pytest.fixture
def as_admin(client, admin):
    login(client, admin)
    return client


def _companies(n: int) -> None:
    """n companies: each name twice, so that the duplicates page has pairs."""
    db.session.add_all(Organisation(kind="company", name=f"上海批量科技{i}有限公司",
                                    name_key=normalise_name(f"上海批量科技{i}有限公司"),
                                    district="闵行区", in_minhang=True, industries=["ai"])
                       for i in range(n // 2) for _copy in range(2))
    db.session.commit()


@pytest.mark.parametrize("path", ["", "duplicates", "export.xlsx"])
def test_organisations(as_admin, flat_in_rows, path):
    """The list, the duplicates and the export."""
    flat_in_rows(as_admin, "/console/organisations/" + path, add=_companies)


@pytest.mark.parametrize("query", ["", "?kind=company&per_page=200", "?q=批量"])
def test_the_apis_list_of_organisations(client, admin, flat_in_rows, query):
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {api_token(client, admin)}"
    flat_in_rows(client, "/api/v1/organisations" + query, add=_companies)


def test_contacts(as_admin, flat_in_rows, create_organisation):
    organisation = create_organisation()

    def add(n: int) -> None:
        db.session.add_all(OrganisationContact(organisation_id=organisation.id, user_id=u.id) for u in people(n))
        db.session.commit()

    flat_in_rows(as_admin, f"/console/organisations/{organisation.id}", add=add)


def test_overview_employees(as_admin, flat_in_rows, create_organisation):
    organisation = create_organisation()

    def add(n: int) -> None:
        db.session.add_all(EmployerLink(organisation_id=organisation.id, user_id=u.id, employer=u.employer)
                           for u in people(n))
        db.session.commit()

    flat_in_rows(as_admin, f"/console/organisations/{organisation.id}/overview", add=add)


def test_stations(as_admin, flat_in_rows):
    def add(n: int) -> None:
        db.session.add_all(Organisation(kind="university", name=f"批量大学{i}", name_key=normalise_name(f"批量大学{i}"),
                                        district="闵行区", station_signed_on=date(2025, 3, 1)) for i in range(n))
        db.session.commit()

    flat_in_rows(as_admin, "/console/organisations/stations", add=add)
    flat_in_rows(as_admin, "/console/organisations/stations.xlsx", add=add)
