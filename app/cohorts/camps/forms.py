"""Forms of the camp console: cycles, cohorts, enrolment."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.cohorts.camps.models import BASIS_LABELS
from app.web import DateField, DateTimeLocalField


class CycleForm(FlaskForm):
    name = StringField(_l("Name (e.g. 2026–2027)"), validators=[DataRequired(), Length(max=40)])
    starts_on = DateField(_l("Starts"), validators=[DataRequired()])
    ends_on = DateField(_l("Ends"), validators=[DataRequired()])
    intake = IntegerField(_l("Total intake"), default=60, validators=[DataRequired(), NumberRange(1, 5000)])
    applications_open_at = DateTimeLocalField(_l("Applications open from"), validators=[Optional()])
    applications_close_at = DateTimeLocalField(_l("Applications close at"), validators=[Optional()])


class CohortForm(FlaskForm):
    tier_id = SelectField(_l("Tier"), coerce=int, choices=[])
    name = StringField(_l("Name (empty: cycle and tier)"), validators=[Optional(), Length(max=120)])
    capacity = IntegerField(_l("Places"), validators=[DataRequired(), NumberRange(1, 5000)])
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200)])
    starts_on = DateField(_l("Starts"), validators=[DataRequired()])
    ends_on = DateField(_l("Ends"), validators=[DataRequired()])
    trainer_ids = SelectMultipleField(_l("Trainers"), coerce=int, choices=[])
    attendance_basis = SelectField(_l("Attendance rate counts"),
                                   choices=[SelectChoice(k.value, v) for k, v in BASIS_LABELS.items()])
    late_after_minutes = IntegerField(_l("Late after (minutes from the start)"), default=10,
                                      validators=[Optional(), NumberRange(0, 240)])


class EnrolForm(FlaskForm):
    mobile = StringField(_l("Founder's mobile number"), validators=[DataRequired(), Length(max=20)])
    company = StringField(_l("Company"), validators=[Optional(), Length(max=200)])
