from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.cohorts.models import ATTENDANCE_LABELS, BASIS_LABELS, LESSON_KIND_LABELS
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


class LessonForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Lesson type"), choices=[SelectChoice(k.value, v) for k, v in LESSON_KIND_LABELS.items()])
    starts_at = DateTimeLocalField(_l("Starts"), validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), validators=[DataRequired()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=120)])
    trainer_id = SelectField(_l("Trainer"), coerce=int, choices=[])


class EnrolForm(FlaskForm):
    mobile = StringField(_l("Founder's mobile number"), validators=[DataRequired(), Length(max=20)])
    company = StringField(_l("Company"), validators=[Optional(), Length(max=200)])


class MarkForm(FlaskForm):
    enrolment_id = HiddenField(validators=[DataRequired()], filters=[lambda v: int(v) if v and str(v).isdigit() else v])
    status = SelectField(_l("Status"), choices=[SelectChoice(k.value, v) for k, v in ATTENDANCE_LABELS.items()])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=300)])
