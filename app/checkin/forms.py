from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.checkin.links import MAX_HOURS
from app.checkin.models import PRINTED, SCREEN
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
    self_check_in = BooleanField(_l("People may check themselves in by scanning the venue code with their own phone"))
    venue_code = RadioField(_l("The venue code is shown"), default=SCREEN, choices=[
        SelectChoice(SCREEN, _l("On a screen: it changes every 30 seconds, so a photo of it soon stops working")),
        SelectChoice(PRINTED,
                     _l("Printed: it stays the same, so a photo of it works from anywhere until you print a new one"))])
