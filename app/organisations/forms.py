from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.organisations.fields import LIMITS, MAX_PLACES
from app.organisations.industries import INDUSTRIES
from app.organisations.models import HOST_STATUS_LABELS, KIND_LABELS, SIZE_LABELS
from app.web import CheckboxesField, DateField


def _choices(table: dict, blank: bool = False) -> list:
    return ([SelectChoice("", "—")] if blank else []) + [SelectChoice(k.value, v) for k, v in table.items()]


class OrganisationForm(FlaskForm):
    kind = SelectField(_l("Organisation kind"), choices=_choices(KIND_LABELS))
    name = StringField(_l("Organisation name"), validators=[DataRequired(), Length(max=LIMITS["name"])])
    uscc = StringField(_l("Unified social credit code"), validators=[Optional(), Length(max=30)],
                       description=_l("18 characters; required for companies and host companies."))
    district = StringField(_l("District"), validators=[Optional(), Length(max=LIMITS["district"])])
    in_minhang = BooleanField(_l("In Minhang"))
    industries = CheckboxesField(_l("Industries"), choices=[SelectChoice(k, v) for k, v in INDUSTRIES.items()])
    size = SelectField(_l("Size"), choices=_choices(SIZE_LABELS, blank=True))
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=LIMITS["contact_name"])])
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=LIMITS["contact_phone"])])
    contact_email = StringField(_l("Contact email"), validators=[Optional(), Length(max=LIMITS["contact_email"])])
    station_signed_on = DateField(_l("Talent station agreement signed on"), validators=[Optional()])
    station_contact = StringField(_l("Station contact"), validators=[Optional(), Length(max=LIMITS["station_contact"])])
    base_approved_on = DateField(_l("Approved as host on"), validators=[Optional()])
    base_places_per_year = IntegerField(_l("Places per year"), validators=[Optional(), NumberRange(0, MAX_PLACES)])
    base_status = SelectField(_l("Host status"), choices=_choices(HOST_STATUS_LABELS, blank=True))

    def values(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


class ImportForm(FlaskForm):
    file = FileField(_l("XLSX file"), validators=[FileRequired()])


class ContactForm(FlaskForm):
    mobile = StringField(_l("Mobile number of the contact's account"), validators=[DataRequired(), Length(max=20)])
