"""The organisers' forms for setting a pitch competition up (the services check everything again)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.labels import labels
from app.pitch.models import DEGREE_LABELS, ROUND_KIND_LABELS, AdvanceRule, UnbrokenTie
from app.web import CheckboxesField, DateTimeLocalField

RUBRIC_ROWS = 8


class EligibilityForm(FlaskForm):
    returnee = BooleanField(_l("Returnees only (留学人员)"))
    max_years_since_return = IntegerField(_l("At most this many years since return (empty: any)"),
                                          validators=[Optional(), NumberRange(0, 50)])
    degrees = CheckboxesField(_l("Degrees earned abroad accepted (none ticked: any)"),
                              choices=[SelectChoice(k.value, v) for k, v in DEGREE_LABELS.items()])

    def rules(self) -> dict:
        return {"returnee": bool(self.returnee.data), "max_years_since_return": self.max_years_since_return.data,
                "degrees": list(self.degrees.data or [])}


class PitchCompetitionForm(EligibilityForm):
    name = StringField(_l("Competition name"), validators=[DataRequired(), Length(max=160)])
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(2000, 2100)])
    department_id = SelectField(_l("Organiser department"), coerce=int, choices=[])
    venue = StringField(_l("Venue"), validators=[DataRequired(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Starts"), validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), validators=[DataRequired()])
    capacity = IntegerField(_l("Places (entries)"), validators=[DataRequired(), NumberRange(1, 10000)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])


class RoundForm(FlaskForm):
    name = StringField(_l("Round name"), validators=[DataRequired(), Length(max=60)])
    kind = SelectField(_l("Kind of round"), choices=[SelectChoice(k.value, v) for k, v in ROUND_KIND_LABELS.items()])


class RenameForm(FlaskForm):
    name = StringField(_l("Round name"), validators=[DataRequired(), Length(max=60)])


class CriterionRow(Form):
    name = StringField(_l("Criterion"), validators=[Optional(), Length(max=120)])
    weight = IntegerField(_l("Weight (of 100)"), validators=[Optional(), NumberRange(1, 100)])
    max_score = IntegerField(_l("Maximum score"), validators=[Optional(), NumberRange(1, 1000)])

    def blank(self) -> bool:
        return not (self.name.data or "").strip() and self.weight.data is None and self.max_score.data is None


class RubricForm(FlaskForm):
    criteria = FieldList(FormField(CriterionRow), min_entries=RUBRIC_ROWS, max_entries=RUBRIC_ROWS)

    def rows(self) -> list[dict]:
        return [{"name": (row.form.name.data or "").strip(), "weight": row.form.weight.data,
                 "max_score": row.form.max_score.data} for row in self.criteria if not row.form.blank()]


class RuleForm(FlaskForm):
    rule = SelectField(_l("Who advances"), choices=[SelectChoice(k.value, v) for k, v in labels(AdvanceRule).items()])
    advance_count = IntegerField(_l("How many advance (the best N)"), validators=[Optional(), NumberRange(1, 10000)])
    threshold = StringField(_l("Threshold (score out of 100)"), validators=[Optional(), Length(max=10)])
    tie_break_criterion_id = SelectField(_l("Tie-break criterion"), coerce=int, choices=[])
    unbroken_tie = SelectField(_l("A tie that stands at the cut"),
                               choices=[SelectChoice(k.value, v) for k, v in labels(UnbrokenTie).items()])


class PanelForm(FlaskForm):
    judge_ids = CheckboxesField(_l("Judges (they score)"), coerce=int, choices=[])
    chief_id = SelectField(_l("Chief judge (confirms, does not score)"), coerce=int, choices=[])
