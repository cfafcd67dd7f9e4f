"""The plan's console forms: a figure entered with its evidence, a correction, an occasion's items."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.web import CheckboxesField, DateField


class FigureForm(FlaskForm):
    value = StringField(_l("Figure"), validators=[DataRequired(), Length(max=30)])
    as_of = DateField(_l("Figure as of"), validators=[DataRequired()])
    year = SelectField(_l("Year it counts for"), choices=[], validators=[Optional()])
    note = TextAreaField(_l("Note (source, scope)"), validators=[Optional(), Length(max=2000)])
    evidence = FileField(_l("Evidence (PDF, image or XLSX)"))


class CorrectionForm(FlaskForm):
    value = StringField(_l("Corrected figure"), validators=[DataRequired(), Length(max=30)])
    reason = StringField(_l("Reason for the correction"), validators=[DataRequired(), Length(max=300)])
    evidence = FileField(_l("New evidence (optional; otherwise the previous evidence stays)"))


class TagsForm(FlaskForm):
    items = CheckboxesField(_l("Plan items this serves"), coerce=int, choices=[], validate_choice=False)
