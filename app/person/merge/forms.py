from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.person.merge.services import REASON_MAX


class MergeForm(FlaskForm):
    survivor = RadioField(_l("The account that stays"), validators=[DataRequired()])
    reason = TextAreaField(_l("Why these accounts are one person"), validators=[DataRequired(), Length(max=REASON_MAX)])
