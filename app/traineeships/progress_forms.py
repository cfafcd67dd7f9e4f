"""Forms of the placements under way: a training day, a month's attendance, 留用, the trainee's
feedback, a withdrawal. The evaluation's scores follow the batch's rubric and are read from the
posted fields score_<criterion key> by the view."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.traineeships.models import TRAINING_DAY_LABELS
from app.web import DateField, DateTimeLocalField

DT = "%Y-%m-%dT%H:%M"


class TrainingDayForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k.value, v) for k, v in TRAINING_DAY_LABELS.items()])
    starts_at = DateTimeLocalField(_l("Starts"), format=DT, validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), format=DT, validators=[DataRequired()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=120)])


class MonthForm(FlaskForm):
    month = StringField(_l("Month"), validators=[DataRequired(), Length(max=7)])
    present_days = IntegerField(_l("Days present"), validators=[InputRequired(), NumberRange(0, 31)])
    absent_days = IntegerField(_l("Days absent"), default=0, validators=[Optional(), NumberRange(0, 31)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])


class RetentionForm(FlaskForm):
    retained = SelectField(_l("Keeps the trainee on"), choices=[SelectChoice("yes", _l("Yes")),
                                                                SelectChoice("no", _l("No"))])
    retained_from = DateField(_l("As an employee from"), validators=[Optional()])


class FeedbackForm(FlaskForm):
    rating = SelectField(_l("Rating"), coerce=int, choices=[SelectChoice(n, str(n)) for n in range(5, 0, -1)])
    text = TextAreaField(_l("Your feedback"), validators=[Optional(), Length(max=2000)])


class WithdrawForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=300)])
    by_trainee = BooleanField(_l("At the trainee's request"))
