from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.events.models import FORMAT_LABELS, KIND_LABELS, QUESTION_KIND_LABELS, WALL_NAME_LABELS, EventKind
from app.web import DateTimeLocalField

DT = "%Y-%m-%dT%H:%M"


class EventForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    series_id = SelectField(_l("Brand series"), coerce=int, choices=[])
    kind = SelectField(_l("Kind"), choices=[])
    department_id = SelectField(_l("Owner department"), coerce=int, choices=[])
    format = SelectField(_l("On-site or online"), default="onsite",
                         choices=[SelectChoice(k.value, v) for k, v in FORMAT_LABELS.items()])
    invited_only = BooleanField(_l("Invited people only (partner universities' links, the organiser's list)"))
    venue = StringField(_l("Venue"), validators=[DataRequired(), Length(max=200)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    starts_at = DateTimeLocalField(_l("Starts"), format=DT, validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), format=DT, validators=[DataRequired()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)])
    capacity = IntegerField(_l("Capacity (empty: no limit)"),
                            validators=[Optional(), NumberRange(min=1, max=100000)])
    requires_approval = BooleanField(_l("Registrations need the organiser's approval"))
    registration_opens_at = DateTimeLocalField(_l("Registration opens"), format=DT, validators=[Optional()])
    registration_closes_at = DateTimeLocalField(_l("Registration closes"), format=DT, validators=[Optional()])
    cover = FileField(_l("Cover image (JPEG, PNG or WebP, up to 5 MB)"))
    wall_names = SelectField(_l("Names on the check-in wall"), default="masked",
                             choices=[SelectChoice(k, v) for k, v in WALL_NAME_LABELS.items()])

    def set_choices(self, series, departments):
        self.series_id.choices = [SelectChoice(0, "—")] + [SelectChoice(s.id, s.name) for s in series]
        self.kind.choices = [SelectChoice(k.value, str(KIND_LABELS[k])) for k in EventKind]
        self.department_id.choices = [SelectChoice(d.id, d.name) for d in departments]


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Starts"), format=DT, validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), format=DT, validators=[DataRequired()])
    room = StringField(_l("Room"), validators=[Optional(), Length(max=120)])
    speaker = StringField(_l("Speaker"), validators=[Optional(), Length(max=200)])
    capacity = IntegerField(_l("Capacity (empty: no limit)"),
                            validators=[Optional(), NumberRange(min=1, max=100000)])


class QuestionForm(FlaskForm):
    label = StringField(_l("Question"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Answer type"), choices=[SelectChoice(k.value, v) for k, v in QUESTION_KIND_LABELS.items()])
    required = BooleanField(_l("Required"))
    help_text = StringField(_l("Help text"), validators=[Optional(), Length(max=300)])
    choices = TextAreaField(_l("Choices, one per line; “label | 80” limits a choice to 80 people"),
                            validators=[Optional(), Length(max=4000)])
    # Text, so the service gives the one translated message for a bad value (not WTForms').
    max_length = StringField(_l("Longest answer (characters; empty: 200 for short text, 4000 for long text)"),
                             validators=[Optional(), Length(max=10)])
    min_value = StringField(_l("Smallest number allowed"), validators=[Optional(), Length(max=30)])
    max_value = StringField(_l("Largest number allowed"), validators=[Optional(), Length(max=30)])
    position = IntegerField(_l("Order"), validators=[Optional()])


class SeriesForm(FlaskForm):
    name = StringField(_l("Series name"), validators=[DataRequired(), Length(max=120)])
    slug = StringField(_l("Short name for links (e.g. talent-week-2026)"),
                       validators=[DataRequired(), Length(max=60)])
    department_id = SelectField(_l("Department"), coerce=int, choices=[])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)])


class CancelForm(FlaskForm):
    reason = StringField(_l("Reason (sent to registrants)"), validators=[Optional(), Length(max=300)])
