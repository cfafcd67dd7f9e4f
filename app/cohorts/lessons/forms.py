"""Forms of the lesson pages: a lesson, and the trainer's attendance mark."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.cohorts.lessons.models import ATTENDANCE_LABELS, LESSON_KIND_LABELS
from app.web import DateTimeLocalField

DT = "%Y-%m-%dT%H:%M"


class LessonForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Lesson type"), choices=[SelectChoice(k.value, v) for k, v in LESSON_KIND_LABELS.items()])
    starts_at = DateTimeLocalField(_l("Starts"), format=DT, validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), format=DT, validators=[DataRequired()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=120)])
    trainer_id = SelectField(_l("Trainer"), coerce=int, choices=[])


class MarkForm(FlaskForm):
    enrolment_id = HiddenField(validators=[DataRequired()], filters=[lambda v: int(v) if v and str(v).isdigit() else v])
    status = SelectField(_l("Status"), choices=[SelectChoice(k.value, v) for k, v in ATTENDANCE_LABELS.items()])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=300)])
