"""Template helpers: local times, masking, enum labels."""
from __future__ import annotations

from flask import Flask, request, url_for
from flask_babel import get_locale, gettext
from markupsafe import Markup

from app import privacy, timeutil
from app.numbers import score_text
from app.accounts.models import role_label
from app.checkin.models import ScanResult
from app.events.models import EventKind, EventStatus, QuestionKind
from app.notifications.models import outbox_label
from app.jobfairs.stream import positions_panel
from app.registrations.join_links import join_url
from app.registrations.models import RegStatus
from app.urls import public_url

WEEKDAYS_ZH = "一二三四五六日"


def _local(value, pattern="%Y-%m-%d %H:%M"):
    return timeutil.fmt(value, pattern)


def _when(starts, ends) -> str:
    """2026-05-18（周一）09:00–17:00, spanning days when it must."""
    s, e = timeutil.to_local(starts), timeutil.to_local(ends)
    if s is None:
        return ""
    zh = str(get_locale()).startswith("zh")
    day = f"{s:%Y-%m-%d}（周{WEEKDAYS_ZH[s.weekday()]}）" if zh else f"{s:%a %Y-%m-%d}"
    if e is None:
        return f"{day} {s:%H:%M}"
    if e.date() == s.date():
        return f"{day} {s:%H:%M}–{e:%H:%M}"
    return f"{day} {s:%H:%M} – {e:%Y-%m-%d %H:%M}"


def _scan_label(code: str, direction: str = "in") -> str:
    if code == ScanResult.OK.value and direction == "out":
        return gettext("Checked out")
    if code == ScanResult.OK.value:
        return gettext("Checked in")
    return ScanResult.label_of(code)


def in_wechat() -> bool:
    """The page is open in WeChat's (or WeCom's) in-app browser, whose User-Agent carries
    MicroMessenger: downloads there often fail silently, a long press on an image is how codes are
    saved. Only for hints on the page; never for access decisions."""
    return "micromessenger" in (request.headers.get("User-Agent") or "").lower()


def _vary_user_agent(response):
    # Pages with a WeChat hint differ by User-Agent: a shared cache must not mix them up.
    if getattr(request, "_varies_by_user_agent", False):
        response.vary.add("User-Agent")
    return response


def _in_wechat_for_template() -> bool:
    request._varies_by_user_agent = True
    return in_wechat()


def _online_join_url(registration) -> str | None:
    """A confirmed registration's personal join link, for an event with an online part (its ticket,
    its mails); None otherwise."""
    if registration is None or registration.status != RegStatus.CONFIRMED.value:
        return None
    return join_url(registration)


def _beside_stream(event) -> Markup:
    """What the join page shows under the stream: an online job fair's (直播带岗) employers and positions,
    each with the link to express interest through the same consent form as the booth's QR."""
    return positions_panel(event)


def _url_with(**changes) -> str:
    args = request.args.to_dict()
    args.update({k: v for k, v in changes.items()})
    args = {k: v for k, v in args.items() if v not in (None, "")}
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        local=_local, mask_phone=privacy.mask_phone, mask_id=privacy.mask_id_number,
        mask_email=privacy.mask_email, mask_name=privacy.mask_name, score=score_text)
    app.jinja_env.globals.update(
        when=_when, url_with=_url_with, EventKind=EventKind, EventStatus=EventStatus,
        QuestionKind=QuestionKind, RegStatus=RegStatus, get_locale=get_locale,
        role_label=role_label, outbox_label=outbox_label, scan_label=_scan_label, public_url=public_url,
        in_wechat=_in_wechat_for_template, online_join_url=_online_join_url, beside_stream=_beside_stream)
    app.after_request(_vary_user_agent)
