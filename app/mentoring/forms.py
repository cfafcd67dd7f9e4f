from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.web import DateField


class PairForm(FlaskForm):
    mentor_id = SelectField(_l("Mentor"), coerce=int, choices=[])
    founder_id = SelectField(_l("Founder"), coerce=int, choices=[])


class SessionForm(FlaskForm):
    held_on = DateField(_l("Date"), validators=[DataRequired()])
    topic = StringField(_l("Topic"), validators=[DataRequired(), Length(max=200)])
    minutes = TextAreaField(_l("Minutes"), validators=[Optional(), Length(max=5000)])
    follow_up = TextAreaField(_l("Follow-up"), validators=[Optional(), Length(max=2000)])


class RatingForm(FlaskForm):
    rating = SelectField(_l("Rating"), choices=[SelectChoice(str(n), "★" * n) for n in range(5, 0, -1)])
    comment = StringField(_l("Comment"), validators=[Optional(), Length(max=500)])
