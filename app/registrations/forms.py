"""The registration form is built from the event's questions."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.events.models import Event, QuestionKind


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def field_name(question_id: int) -> str:
    return f"q{question_id}"


def registration_form(event: Event, formdata=None) -> FlaskForm:
    """Fields carry no validators of their own: one validator, the service, speaks for web and API."""

    class RegistrationForm(FlaskForm):
        pass

    for q in event.questions:
        kind = q.kind_enum
        kw = {"label": q.label, "description": q.help_text, "validators": [Optional()],
              "render_kw": {"required": True} if q.required else {}}
        if kind == QuestionKind.TEXT:
            field = StringField(**kw)
        elif kind == QuestionKind.LONG_TEXT:
            field = TextAreaField(**kw)
        elif kind == QuestionKind.SINGLE:
            kw["render_kw"] = {}
            field = RadioField(choices=[SelectChoice(c, c) for c in q.choice_labels], validate_choice=False, **kw)
        elif kind == QuestionKind.MULTIPLE:
            kw["render_kw"] = {}
            field = CheckboxesField(choices=[SelectChoice(c, c) for c in q.choice_labels], validate_choice=False, **kw)
        elif kind == QuestionKind.NUMBER:
            field = DecimalField(**kw)
            kw["render_kw"]["inputmode"] = "decimal"
        else:
            field = DateField(**kw)
        field.kwargs["render_kw"] = kw["render_kw"]
        setattr(RegistrationForm, field_name(q.id), field)
    if event.sessions:
        setattr(RegistrationForm, "sessions", CheckboxesField(
            _l("Sessions you will attend"), coerce=int, validate_choice=False,
            choices=[SelectChoice(s.id, s.title) for s in event.sessions]))
    return RegistrationForm(formdata=formdata) if formdata is not None else RegistrationForm()


def raw_answers(event: Event, form) -> dict:
    answers = {}
    for q in event.questions:
        data = form[field_name(q.id)].data
        if q.kind_enum == QuestionKind.DATE and data is not None:
            data = data.isoformat()
        elif q.kind_enum == QuestionKind.NUMBER and data is not None:
            data = str(data)
        elif q.kind_enum == QuestionKind.DATE and form[field_name(q.id)].raw_data not in (None, [], [""]):
            data = form[field_name(q.id)].raw_data[0]  # unparsable: let the service say so
        elif q.kind_enum == QuestionKind.NUMBER and form[field_name(q.id)].raw_data not in (None, [], [""]):
            data = form[field_name(q.id)].raw_data[0]
        answers[str(q.id)] = data
    return answers
