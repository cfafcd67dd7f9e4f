"""The in-app inbox (站内消息): every notice lands here too, whatever channels the person has.

Most participants sign up with a mobile number only, so mail never reaches them; the inbox does.
A message's title and body are rendered once, in the recipient's language (not the language of
the organiser whose action caused it), and its link is a path inside this site.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app import timeutil
from app.accounts.models import User
from app.errors import NotFound
from app.events.models import EventSession
from app.extensions import db
from app.notifications.models import InboxMessage
from app.timeutil import utcnow

PAGE_SIZE = 20

# One short sentence per notice kind; `%(event)s` and the like come from the notice's params.
BODIES = {
    "pending": _l("Your registration for “%(event)s” is waiting for the organiser's approval."),
    "confirmed": _l("Your place at “%(event)s” (%(when)s) is confirmed. Your ticket is under “My registrations”."),
    "approved": _l("Your registration for “%(event)s” (%(when)s) is approved. Your ticket is under "
                   "“My registrations”."),
    "waitlisted": _l("“%(event)s” is full; you are on the waiting list. We will tell you when a seat is free."),
    "promoted": _l("A seat at “%(event)s” (%(when)s) became free and is now yours."),
    "session_promoted": _l("A seat in “%(session)s” of “%(event)s” became free and is now yours."),
    "rejected": _l("Your registration for “%(event)s” was not approved."),
    "event_cancelled": _l("“%(event)s” (%(when)s) is cancelled and will not take place."),
    "ticket": _l("Your ticket for “%(event)s” is under “My registrations”."),
    "application_received": _l("We received your application for %(tier)s of %(programme)s."),
    "application_admitted": _l("You are admitted to %(tier)s of %(programme)s."),
    "application_waitlisted": _l("You are on the waiting list of %(tier)s of %(programme)s."),
    "application_rejected": _l("Your application for %(tier)s of %(programme)s was not selected this time."),
    "tier_invitation": _l("You are invited to %(tier)s of %(programme)s."),
    "results_published": _l("The results of “%(occasion)s” are published."),
    "camp_results_published": _l("The results of “%(occasion)s” are published."),
    "pitch_results": _l("The results of “%(occasion)s” are released."),
    "pitch_camp_invitation": _l("As a finalist of “%(occasion)s” you are invited to apply to %(camp)s."),
    "reminder": _l("Reminder: “%(occasion)s” starts at %(time)s, %(place)s."),
    "certificate_issued": _l("Your certificate “%(certificate)s” for “%(programme)s” is issued; it can be printed "
                             "and verified online."),
    "traineeship_accepted": _l("%(host)s accepted you for “%(position)s” in %(batch)s; the bureau will now "
                               "confirm the placement."),
    "traineeship_declined": _l("%(host)s did not take you for “%(position)s” in %(batch)s."),
    "traineeship_confirmed": _l("Your placement at %(host)s (“%(position)s”, %(batch)s) is confirmed: "
                                "%(starts)s to %(ends)s. Your ticket is your pass at the training days."),
    "traineeship_rejected": _l("The bureau did not confirm your placement at %(host)s (“%(position)s”)."),
    "traineeship_withdrawn": _l("Your placement at %(host)s (“%(position)s”, %(batch)s) has ended early: the "
                                "bureau recorded your withdrawal."),
    "online_join": _l("“%(event)s” (%(when)s) is online: your personal join link shows the stream from shortly "
                      "before the start and records your attendance."),
    "online_invitation": _l("You are invited to “%(event)s” (%(when)s). Register under “My invitations”."),
    "jobfair_pending": _l("At “%(fair)s” %(employer)s scanned your ticket at their booth. Choose positions and "
                          "agree to share your profile under “My job fair applications”, or ignore this: they "
                          "see nothing of you until you agree."),
    "plan_report": _l("The monthly report of “%(plan)s” for %(month)s is ready under Plan reports."),
    "followup_survey": _l("%(months)s months after “%(programme)s”: where are you working now? Four short "
                          "questions under “My follow-up surveys”."),
    "satisfaction_survey": _l("How was “%(occasion)s”? A few quick ratings under “My surveys”, open until "
                              "%(answer_by)s."),
}
# Why a decision went the way it did is the part people look for: it follows the sentence, as does
# an online event's personal join link.
EXPLANATIONS = {"reason": _l("Reason: %(text)s"), "note": _l("Note: %(text)s"),
                "personal_link": _l("Your personal join link: %(text)s")}
LINKS = {"application": "cohorts.my_camps", "tier_invitation": "cohorts.my_camps",
         "results_published": "competitions.mine",
         "camp_results_published": "cohorts.my_results", "pitch_results": "pitch.mine",
         "pitch_camp_invitation": "cohorts.camps", "certificate_issued": "verify.mine",
         "reminder": "registrations.mine", "traineeship": "traineeships.mine",
         "online_invitation": "online.my_invitations", "online_join": "registrations.mine",
         "followup_survey": "followups.mine", "satisfaction_survey": "satisfaction.mine"}


def post(user: User, kind: str, title, *, registration=None, link_endpoint: str | None = None,
         rewrite: InboxMessage | None = None, **params) -> InboxMessage:
    """Add the notice to `user`'s inbox (inside the caller's transaction); with `rewrite`, replace
    a message this transaction posted earlier (the registration's guessed status was corrected)."""
    message = rewrite or InboxMessage(user_id=user.id)
    for name, value in content(user, kind, title, registration=registration, link_endpoint=link_endpoint,
                               **params).items():
        setattr(message, name, value)
    if rewrite is None:
        db.session.add(message)
    return message


def content(user: User, kind: str, title, *, registration=None, link_endpoint: str | None = None,
            **params) -> dict[str, str]:
    """The message's kind, title, body and link, rendered in the recipient's language (`post` stores
    them; the Core registration path inserts them as a row)."""
    event = registration.event if registration is not None else None
    values = {k: v for k, v in params.items() if isinstance(v, (str, int)) and not isinstance(v, bool)}
    if event is not None:
        values.update(event=event.title, when=timeutil.fmt(event.starts_at, "%Y-%m-%d %H:%M"))
    if "session_id" in params and "session" not in values:
        session = db.session.get(EventSession, params["session_id"])
        values["session"] = session.title if session else ""
    with force_locale(user.locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_CN")):
        body = [_render(BODIES.get(kind), values)]
        for key in EXPLANATIONS:
            if params.get(key):
                body.append(str(EXPLANATIONS[key] % {"text": params[key]}))
        title = str(title)
    link = _path(link_endpoint or LINKS.get(kind) or LINKS.get(kind.split("_")[0], "registrations.mine"))
    return {"kind": kind, "title": title[:200], "body": " ".join(part for part in body if part)[:1000],
            "link": link}


def _render(template, values: dict) -> str:
    if template is None:
        return ""
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return ""  # a notice without the params its sentence names keeps its title only


def _path(endpoint: str) -> str:
    """The endpoint's path without the site's prefix: a request adds its own script root."""
    return current_app.url_map.bind("localhost").build(endpoint)


# -- reading ------------------------------------------------------------------
def unread_count(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(InboxMessage).where(
        InboxMessage.user_id == user.id, InboxMessage.read_at.is_(None))) or 0


def messages(user: User, page: int = 1):
    """The owner's messages, newest first, a page at a time."""
    query = (sa.select(InboxMessage).where(InboxMessage.user_id == user.id)
             .order_by(InboxMessage.created_at.desc(), InboxMessage.id.desc()))
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)


def own_message(user: User, message_id: int) -> InboxMessage:
    """The message if it is `user`'s; anybody else's is as absent as one that does not exist."""
    message = db.session.get(InboxMessage, message_id)
    if message is None or message.user_id != user.id:
        raise NotFound(_l("This message does not exist."), code="inbox_message_not_found")
    return message


def open_message(user: User, message_id: int) -> InboxMessage:
    message = own_message(user, message_id)
    if message.read_at is None:
        message.read_at = utcnow()
    return message


def mark_all_read(user: User) -> int:
    result = db.session.execute(sa.update(InboxMessage).where(
        InboxMessage.user_id == user.id, InboxMessage.read_at.is_(None)).values(read_at=utcnow()))
    return result.rowcount or 0
