"""Staff pages for merging accounts: likely duplicates, a pair side by side, the merges with undo.
Every page asks the services, which refuse anyone but an administrator."""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.person.merge import duplicates, queries, services
from app.person.merge.bp import bp
from app.person.merge.forms import MergeForm
from app.web import perform


@bp.route("/duplicates")
@login_required
def duplicates_list():
    return render_template("person/merge/duplicates.html", pairs=duplicates.find_duplicates(current_user))


@bp.route("/compare", methods=["GET", "POST"])
@login_required
def compare():
    first = services.get_account(current_user, request.args.get("a"))
    second = services.get_account(current_user, request.args.get("b"))
    form = MergeForm()
    form.survivor.choices = [(str(first.id), first.name), (str(second.id), second.name)]
    if form.validate_on_submit():
        survivor = first if form.survivor.data == str(first.id) else second
        absorbed = second if survivor is first else first
        if done := perform(lambda: services.merge_accounts(current_user, survivor_id=survivor.id,
                                                           absorbed_id=absorbed.id, reason=form.reason.data),
                           form=form, fields={"survivor": "survivor", "reason": "reason"},
                           refused_to=request.full_path,
                           success=_("The accounts are merged; the merge can be undone from the list."),
                           to=url_for("merge.merges")):
            return done
    return render_template("person/merge/compare.html", form=form, accounts=[
        (first, queries.holdings(first.id)), (second, queries.holdings(second.id))])


@bp.route("/merges")
@login_required
def merges():
    return render_template("person/merge/merges.html", merges=queries.merges(current_user),
                           undoable=services.undoable, undo_days=services.undo_days())


@bp.route("/merges/<int:merge_id>/undo", methods=["POST"])
@login_required
def undo(merge_id: int):
    return perform(lambda: services.undo_merge(current_user, merge_id),
                   success=_("The merge is undone: both accounts are as they were."), category="info",
                   to=url_for("merge.merges"))
