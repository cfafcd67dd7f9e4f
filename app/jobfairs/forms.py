from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.jobfairs.models import Education
from app.web import CheckboxesField


class EmployerForm(FlaskForm):
    organisation = StringField(_l("Employer (name or unified social credit code, from the register)"),
                               validators=[DataRequired(), Length(max=200)])
    booth = StringField(_l("Booth"), validators=[DataRequired(), Length(max=20)])


class PositionForm(FlaskForm):
    employer = SelectField(_l("Employer"), coerce=int, choices=[])
    title = StringField(_l("Position"), validators=[DataRequired(), Length(max=120)])
    openings = IntegerField(_l("Openings"), validators=[DataRequired(), NumberRange(1, 10_000)])
    education = SelectField(_l("Education"), choices=[SelectChoice(e.value, e.label) for e in Education],
                            default="any")
    major = StringField(_l("Major"), validators=[Optional(), Length(max=120)])
    salary_min = IntegerField(_l("Salary from (yuan a month)"), validators=[Optional(), NumberRange(0, 1_000_000)])
    salary_max = IntegerField(_l("Salary to (yuan a month)"), validators=[Optional(), NumberRange(0, 1_000_000)])
    location = StringField(_l("Location"), validators=[Optional(), Length(max=120)])


class PositionsSheetForm(FlaskForm):
    file = FileField(_l("XLSX file"), validators=[FileRequired()])


class InterestForm(FlaskForm):
    """The booth's form: positions, the profile, an optional CV and the consent (its label names the
    employer and is set by the view)."""
    positions = CheckboxesField(_l("Positions you are interested in"), coerce=int)
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=60)])
    education = SelectField(_l("Education"), choices=[SelectChoice("", "—")] + [
        SelectChoice(e.value, e.label) for e in Education if e is not Education.ANY])
    school = StringField(_l("School"), validators=[Optional(), Length(max=120)])
    major = StringField(_l("Major"), validators=[Optional(), Length(max=120)])
    cv = FileField(_l("CV (optional, PDF up to 5 MB)"))
    consent = BooleanField()
    share_mobile = BooleanField()


class TicketScanForm(FlaskForm):
    token = TextAreaField(_l("The seeker's ticket code (scanned)"), validators=[DataRequired(), Length(max=400)])


class OutcomeForm(FlaskForm):
    outcome = SelectField(_l("Outcome"), choices=[])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])
