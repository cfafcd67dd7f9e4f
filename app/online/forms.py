from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from app.web import CheckboxesField


class OnlinePartForm(FlaskForm):
    stream_url = StringField(_l("Stream or meeting link (视频号, B站, 腾讯会议 or any https:// address)"),
                             validators=[Optional(), Length(max=500)])
    access_code = StringField(_l("Access code (optional)"), validators=[Optional(), Length(max=40)])
    reveal_minutes = IntegerField(_l("Show the link this many minutes before the start"), default=30,
                                  validators=[NumberRange(min=0, max=1440)])
    attended_minutes = IntegerField(_l("Minutes online that count as attended"), default=30,
                                    validators=[NumberRange(min=1, max=1440)])
    replay_url = StringField(_l("Replay link (shown to registrants after the event)"),
                             validators=[Optional(), Length(max=500)])


class UniversitiesForm(FlaskForm):
    organisation_ids = CheckboxesField(_l("Partner universities"), coerce=int, choices=[])


class PeopleForm(FlaskForm):
    mobiles = TextAreaField(_l("Mobile numbers, one a line"), validators=[Length(max=40000)])
    file = FileField(_l("Or an XLSX file: mobile numbers in the first column, below a header row"))
