"""The registration form is built from the event's questions."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from app.events.models import Event, QuestionKind, plain_number
from app.web import CheckboxesField


def field_name(question_id: int) -> str:
    return f"q{question_id}"


class MarkedRequired:
    """Flags a choice question as required so the page marks it like a text question; the
    service decides whether the answer is there (a browser's own check on a checkbox group
    would demand every box)."""

    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        pass


def registration_form(event: Event, data: dict | None = None) -> FlaskForm:
    """Fields only collect what was typed; the one validator, the service, speaks for web and
    API alike (numbers and dates arrive as the text the browser sent). `data` fills the fields
    when nothing was posted (see form_data)."""

    class RegistrationForm(FlaskForm):
        pass

    for q in event.questions:
        kind = q.kind_enum
        # The limits' hint is made from the limits the service checks, after the organiser's help text.
        hint = " ".join(part for part in (q.help_text, q.limits_hint) if part)
        kw = {"label": q.label, "description": hint, "validators": [Optional()]}
        if kind.has_choices:
            field_class = RadioField if kind == QuestionKind.SINGLE else CheckboxesField
            if q.required:
                kw["validators"] = [Optional(), MarkedRequired()]
            field = field_class(choices=[SelectChoice(c, c) for c in q.choice_labels], validate_choice=False, **kw)
        else:
            render_kw = {"required": True} if q.required else {}
            if kind == QuestionKind.NUMBER:
                render_kw["inputmode"] = "decimal"
                render_kw.update({k: plain_number(v) for k, v in (("min", q.min_value), ("max", q.max_value))
                                  if v is not None})
            if q.text_limit:
                render_kw["maxlength"] = q.text_limit
            field_class = TextAreaField if kind == QuestionKind.LONG_TEXT else StringField
            field = field_class(render_kw=render_kw, **kw)
        setattr(RegistrationForm, field_name(q.id), field)
    if event.sessions:
        setattr(RegistrationForm, "sessions", CheckboxesField(
            _l("Sessions you will attend"), coerce=int, validate_choice=False,
            choices=[SelectChoice(s.id, s.title) for s in event.sessions]))
    return RegistrationForm(data=data)


def form_data(event: Event, registration=None, seats=()) -> dict:
    """What the form shows before anything is typed: the person's answers and sessions when
    they have a registration, else the sessions with a seat free ticked (a full one never is:
    it would put the person on its waiting list without their choosing)."""
    data = {}
    if registration is not None:
        data = {field_name(qid): value for qid, value in registration.answer_map().items()}
    if event.sessions:
        mine = [seat.session.id for seat in seats if seat.booking]
        data["sessions"] = mine or [seat.session.id for seat in seats if not seat.full]
    return data


def raw_answers(event: Event, form) -> dict:
    return {str(q.id): form[field_name(q.id)].data for q in event.questions}
