"""Staff: the person search and a person's record, within the reader's departments."""
from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from app.person.record import people
from app.person.record.bp import bp, staff
from app.person.record.scope import may_see_full_details
from app.transaction import commit


@bp.route("/console/people")
@staff
def people_search():
    query = request.args.get("q", "")
    found = people.search(current_user, query)
    page = render_template("person/people.html", query=query, found=found)
    commit()  # the audit row of the search; after rendering, as the commit expires every row shown
    return page


@bp.route("/console/people/<int:user_id>")
@staff
def person(user_id: int):
    page = people.person_record(current_user, user_id, full=request.args.get("full") == "1")
    shown = render_template("person/staff_record.html", page=page, may_show_full=may_see_full_details(current_user))
    commit()  # the audit row of the reading; after rendering, as the commit expires every row shown
    return shown
