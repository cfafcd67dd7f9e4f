from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.studios.models import ACHIEVEMENT_LABELS, ACTIVITY_LABELS, LEVEL_LABELS, STATUS_LABELS
from app.web import DateField, DateTimeLocalField

DT = "%Y-%m-%dT%H:%M"


class StudioForm(FlaskForm):
    name = StringField(_l("Studio name"), validators=[DataRequired(), Length(max=120)])
    master_mobile = StringField(_l("Master's mobile number (their account)"),
                                validators=[DataRequired(), Length(max=20)])
    trade = StringField(_l("Trade"), validators=[DataRequired(), Length(max=80)])
    department_id = SelectField(_l("Department"), coerce=int, choices=[])
    level = SelectField(_l("Level"), choices=[SelectChoice(k.value, v) for k, v in LEVEL_LABELS.items()])
    status = SelectField(_l("Status"), choices=[SelectChoice(k.value, v) for k, v in STATUS_LABELS.items()])
    founded_on = DateField(_l("Founded on"), validators=[DataRequired()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])


class ApprenticeForm(FlaskForm):
    mobile = StringField(_l("Apprentice's mobile number"), validators=[DataRequired(), Length(max=20)])
    started_on = DateField(_l("Start date"), validators=[DataRequired()])
    goals = TextAreaField(_l("Goals"), validators=[Optional(), Length(max=2000)])


class ActivityForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k.value, v) for k, v in ACTIVITY_LABELS.items()])
    starts_at = DateTimeLocalField(_l("Starts"), format=DT, validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), format=DT, validators=[DataRequired()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=120)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=5000)])


class AchievementForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k.value, v) for k, v in ACHIEVEMENT_LABELS.items()])
    title = StringField(_l("Achievement"), validators=[DataRequired(), Length(max=200)])
    achieved_on = DateField(_l("Date"), validators=[DataRequired()])
