from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.competitions.models import ASPECT_KIND_LABELS, LEVEL_LABELS
from app.web import CheckboxesField, DateField, DateTimeLocalField


class CompetitionForm(FlaskForm):
    name = StringField(_l("Competition name"), validators=[DataRequired(), Length(max=160)])
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(2000, 2100)])
    level = SelectField(_l("Level"), choices=[SelectChoice(k.value, v) for k, v in LEVEL_LABELS.items()])
    department_id = SelectField(_l("Organiser department"), coerce=int, choices=[])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])


class AwardRulesForm(FlaskForm):
    mode = SelectField(_l("Awards by"), choices=[SelectChoice("share", _l("Shares of the ranked (percent)")),
                                                 SelectChoice("count", _l("Numbers of places"))])
    first = StringField(_l("First prize"), validators=[DataRequired(), Length(max=10)])
    second = StringField(_l("Second prize"), validators=[DataRequired(), Length(max=10)])
    third = StringField(_l("Third prize"), validators=[DataRequired(), Length(max=10)])
    merit_min_percent = StringField(_l("Merit award from (percent of the maximum marks)"),
                                    validators=[DataRequired(), Length(max=10)])


class CategoryForm(FlaskForm):
    name = StringField(_l("Category (trade)"), validators=[DataRequired(), Length(max=120)])
    venue = StringField(_l("Venue"), validators=[DataRequired(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Starts"), validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), validators=[DataRequired()])
    registration_closes_at = DateTimeLocalField(_l("Entries close"), validators=[Optional()])
    capacity = IntegerField(_l("Places"), validators=[DataRequired(), NumberRange(1, 10000)])
    min_age = IntegerField(_l("Lowest age"), validators=[Optional(), NumberRange(14, 100)])
    max_age = IntegerField(_l("Highest age"), validators=[Optional(), NumberRange(14, 100)])
    occupations = TextAreaField(_l("Occupations admitted (one per line; empty: any)"),
                                validators=[Optional(), Length(max=2000)])
    team = BooleanField(_l("Team competition"))
    team_min = IntegerField(_l("Smallest team"), default=2, validators=[Optional(), NumberRange(2, 10)])
    team_max = IntegerField(_l("Largest team"), default=3, validators=[Optional(), NumberRange(2, 10)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])


class JudgesForm(FlaskForm):
    judge_ids = CheckboxesField(_l("Judges"), coerce=int, choices=[])
    chief_id = SelectField(_l("Chief judge"), coerce=int, choices=[])


class CriterionForm(FlaskForm):
    name = StringField(_l("Criterion"), validators=[DataRequired(), Length(max=120)])


class AspectForm(FlaskForm):
    criterion_id = SelectField(_l("Criterion"), coerce=int, choices=[])
    description = StringField(_l("Aspect"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Type"), choices=[SelectChoice(k.value, v) for k, v in ASPECT_KIND_LABELS.items()])
    max_mark = StringField(_l("Max mark"), validators=[DataRequired(), Length(max=10)])
    outcomes = StringField(_l("Outcomes (measurement: label=marks; …)"), validators=[Optional(), Length(max=600)])


class ImportForm(FlaskForm):
    file = FileField(_l("XLSX file"), validators=[FileRequired()])


class EntryForm(FlaskForm):
    employer = StringField(_l("Employer"), validators=[DataRequired(), Length(max=120)])
    occupation = StringField(_l("Occupation"), validators=[DataRequired(), Length(max=60)])
    birth_date = DateField(_l("Date of birth"), validators=[DataRequired()])
    team_name = StringField(_l("Team name"), validators=[Optional(), Length(max=80)])
