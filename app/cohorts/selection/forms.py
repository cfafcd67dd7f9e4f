"""Forms of camp applications. Fields are parsed and checked by `applications.apply`, which
returns translated messages keyed by field name; the forms only carry the values (and CSRF)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.cohorts.selection.applications import BUSINESS_PLAN_MAX
from app.cohorts.models import FUNDING_STAGES, INDUSTRIES

FIELDS = ("name", "mobile", "email", "id_number", "company_name", "uscc", "founded_on", "industry",
          "team_size", "funding_stage", "business_plan")


class ApplicationForm(FlaskForm):
    tier_id = RadioField(_l("Camp"), coerce=int, choices=[], validate_choice=False)
    name = StringField(_l("Name"), render_kw={"required": True, "maxlength": 60, "autocomplete": "name"})
    mobile = StringField(_l("Mobile"), render_kw={"required": True, "inputmode": "tel", "maxlength": 20,
                                                  "autocomplete": "tel"})
    email = StringField(_l("Email (optional)"), render_kw={"type": "email", "maxlength": 254,
                                                           "autocomplete": "email"})
    id_number = StringField(_l("ID number (optional)"), render_kw={"maxlength": 18})
    company_name = StringField(_l("Company name"), render_kw={"required": True, "maxlength": 200})
    uscc = StringField(_l("Unified social credit code"),
                       description=_l("18 characters, as on the business licence."),
                       render_kw={"required": True, "maxlength": 20, "autocapitalize": "characters"})
    founded_on = StringField(_l("Founded on"), render_kw={"required": True, "type": "date"})
    industry = SelectField(_l("Industry"), validate_choice=False,
                           choices=[SelectChoice("", "—")] + [SelectChoice(k, v) for k, v in INDUSTRIES.items()],
                           render_kw={"required": True})
    team_size = StringField(_l("Team size (people)"), render_kw={"required": True, "type": "number", "min": 1,
                                                                 "inputmode": "numeric"})
    funding_stage = RadioField(_l("Funding stage"), validate_choice=False,
                               choices=[SelectChoice(k, v) for k, v in FUNDING_STAGES.items()],
                               render_kw={"required": True})
    business_plan = TextAreaField(_l("Business plan in brief"),
                                  description=_l("Product, customers, business model, team and plans: "
                                                 "50 to 3000 characters."),
                                  render_kw={"required": True, "rows": 10, "maxlength": BUSINESS_PLAN_MAX})
    pitch_deck = FileField(_l("Pitch deck (optional, PDF up to 10 MB)"))

    def values(self) -> dict:
        return {name: self[name].data for name in FIELDS}


class WithdrawForm(FlaskForm):
    note = StringField(_l("Reason (optional)"), render_kw={"maxlength": 300})
