from __future__ import annotations

from datetime import date

from flask import (
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
)

from app import file_store, language
from app.events.models import EventKind
from app.events.queries import all_series
from app.events.services import EventFilter, public_events
from app.main.bp import bp
from app.web import int_arg, safe_next


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.route("/")
def home():
    kind = request.args.get("kind")
    f = EventFilter(series_id=int_arg("series"), kind=kind if kind in {k.value for k in EventKind} else None,
                    on_date=_date_arg("date"), q=request.args.get("q") or None,
                    upcoming=request.args.get("past") != "1")
    events = public_events(f)
    return render_template("main/home.html", events=events, series=all_series(), filter=f,
                           show_past=request.args.get("past") == "1")


@bp.route("/favicon.ico")
def favicon():
    # Browsers ask for /favicon.ico on every page whatever base.html links: answer it from static.
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=86400)


@bp.route("/uploads/<path:name>")
def upload(name: str):
    # Only the image kind: a CV's or a batch's name here finds nothing.
    return file_store.response(name, file_store.IMAGE, attachment=False, public=True)


@bp.route("/lang/<code>")
def set_language(code: str):
    return language.remember(make_response(redirect(safe_next("/"))), code)
