from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.web import DateField


def _optional_int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class MemberForm(FlaskForm):
    mobile = StringField(_l("Mobile number (their account)"), validators=[DataRequired(), Length(max=20)])
    department_id = SelectField(_l("Department"), coerce=int, choices=[])
    organisation_id = SelectField(_l("Organisation"), coerce=_optional_int, choices=[], validate_choice=False)
    expertise = StringField(_l("Expertise"), validators=[Optional(), Length(max=200)])
    term_from = DateField(_l("Term from"), validators=[DataRequired()])
    term_to = DateField(_l("Term to"), validators=[DataRequired()])


class EditMemberForm(MemberForm):
    mobile = None
    department_id = None
