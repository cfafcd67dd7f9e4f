from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.checkin.links import MAX_HOURS
from app.web import DateTimeLocalField

DT = "%Y-%m-%dT%H:%M"


class ScannerLinkForm(FlaskForm):
    label = StringField(_l("Name (door or volunteer)"), validators=[DataRequired(), Length(max=80)])
    checkpoint_id = SelectField(_l("Where"), coerce=int, choices=[])
    hours = IntegerField(_l("Valid for (hours)"), default=12, validators=[DataRequired(), NumberRange(1, MAX_HOURS)])


class CheckpointForm(FlaskForm):
    opens_at = DateTimeLocalField(_l("Check-in opens (empty: two hours before the start)"), format=DT,
                                  validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Check-in closes (empty: at the end)"), format=DT, validators=[Optional()])
    allow_reentry = BooleanField(_l("People may leave and come back in (exit scans, then entry again)"))
    admit_pending = BooleanField(_l("Admit registrations still awaiting approval"))
