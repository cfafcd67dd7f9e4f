from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.traineeships.applying import EDUCATION_LABELS
from app.traineeships.models import KIND_LABELS, PLACE_STATUS_LABELS, SEASON_LABELS
from app.web import DateField, DateTimeLocalField


def _choices(table: dict) -> list:
    return [SelectChoice(getattr(k, "value", k), v) for k, v in table.items()]


class BatchForm(FlaskForm):
    department_id = SelectField(_l("Department"), coerce=int, choices=[])
    kind = SelectField(_l("Programme"), choices=_choices(KIND_LABELS))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(2000, 2100)])
    season = SelectField(_l("Season"), choices=_choices(SEASON_LABELS))
    applications_open_at = DateTimeLocalField(_l("Applications open"), validators=[DataRequired()])
    applications_close_at = DateTimeLocalField(_l("Applications close"), validators=[DataRequired()])
    starts_on = DateField(_l("Placements start"), validators=[DataRequired()])
    ends_on = DateField(_l("Placements end"), validators=[DataRequired()])
    max_choices = IntegerField(_l("Places an applicant may choose"), default=3,
                               validators=[DataRequired(), NumberRange(1, 10)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    # The eligibility rules (shown when editing; a new batch starts with its programme's).
    min_age = IntegerField(_l("Lowest age"), validators=[Optional(), NumberRange(14, 70)])
    max_age = IntegerField(_l("Highest age"), validators=[Optional(), NumberRange(14, 70)])
    graduation_years = StringField(_l("Graduation years accepted (empty: any)"), validators=[Optional(), Length(max=100)])
    left_school_unemployed_only = BooleanField(_l("Only those who left school and are not employed (离校未就业)"))
    shanghai_household_or_study = BooleanField(_l("Shanghai household registration or study in Shanghai required"))

    def fill_rules(self, rules: dict) -> None:
        self.min_age.data, self.max_age.data = rules.get("min_age"), rules.get("max_age")
        self.graduation_years.data = ", ".join(str(y) for y in rules.get("graduation_years") or [])
        self.left_school_unemployed_only.data = bool(rules.get("left_school_unemployed_only"))
        self.shanghai_household_or_study.data = bool(rules.get("shanghai_household_or_study"))

    def rules(self) -> dict:
        """The rules as typed; graduation years that are not whole numbers are kept as text for
        the service to refuse."""
        text = (self.graduation_years.data or "").replace("，", ",").replace("、", ",")
        years = [int(y) if y.strip().isdigit() else y.strip() for y in text.split(",") if y.strip()]
        return {"min_age": self.min_age.data, "max_age": self.max_age.data, "graduation_years": years,
                "left_school_unemployed_only": bool(self.left_school_unemployed_only.data),
                "shanghai_household_or_study": bool(self.shanghai_household_or_study.data)}


class PlaceForm(FlaskForm):
    host_id = SelectField(_l("Host company"), coerce=int, choices=[])
    position = StringField(_l("Position"), validators=[DataRequired(), Length(max=120)])
    openings = IntegerField(_l("Openings"), validators=[DataRequired(), NumberRange(1, 500)])
    months = IntegerField(_l("Months"), validators=[DataRequired(), NumberRange(1, 24)])
    monthly_allowance = IntegerField(_l("Monthly allowance (yuan, for information)"), default=0,
                                     validators=[Optional(), NumberRange(0, 100_000)])
    description = TextAreaField(_l("What the trainee will do"), validators=[Optional(), Length(max=5000)])
    requirements = TextAreaField(_l("Requirements"), validators=[Optional(), Length(max=5000)])
    status = SelectField(_l("Status"), choices=_choices(PLACE_STATUS_LABELS))


class ApplyForm(FlaskForm):
    school_name = StringField(_l("School or university"), validators=[DataRequired(), Length(max=120)])
    major = StringField(_l("Major"), validators=[Optional(), Length(max=120)])
    education = SelectField(_l("Education"), choices=_choices(EDUCATION_LABELS), default="bachelor")
    graduation_year = IntegerField(_l("Year of graduation"), validators=[DataRequired(), NumberRange(1980, 2100)])
    birth_date = DateField(_l("Date of birth"), validators=[DataRequired()])
    in_shanghai_household = BooleanField(_l("I have a Shanghai household registration (户籍)"))
    studies_in_shanghai = BooleanField(_l("I study or studied at a university in Shanghai"))
    left_school_unemployed = BooleanField(_l("I have left school and am not employed (离校未就业)"))


def apply_form(places, max_choices: int) -> ApplyForm:
    """The application form with one select per rank (1: the place most wanted)."""
    options = [SelectChoice(0, "—")] + [SelectChoice(p.id, f"{p.host.name} · {p.position}") for p in places]

    class Form(ApplyForm):
        pass

    for rank in range(1, max_choices + 1):
        setattr(Form, f"choice_{rank}", SelectField(_l("Choice %(n)s", n=rank), coerce=int, choices=options,
                                                    default=0))
    form = Form()
    form.ranked = [form[f"choice_{rank}"] for rank in range(1, max_choices + 1)]
    return form


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=300)])


class PlacesSheetForm(FlaskForm):
    file = FileField(_l("XLSX file"), validators=[FileRequired()])
