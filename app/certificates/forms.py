from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.certificates.models import KIND_LABELS, CertificateKind

PAGE_SIZE_LABELS = {"A4 landscape": _l("A4 landscape"), "A4 portrait": _l("A4 portrait"),
                    "A5 landscape": _l("A5 landscape")}


def kind_choices():
    """The kinds an event's attendees may be given (a 聘书 goes to an appointed person, from the rosters)."""
    return [SelectChoice(k.value, str(KIND_LABELS[k])) for k in CertificateKind if k is not CertificateKind.APPOINTMENT]


class TemplateForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    title = StringField(_l("Printed title"), validators=[DataRequired(), Length(max=60)])
    page_size = SelectField(_l("Page size"), choices=[SelectChoice(k, v) for k, v in PAGE_SIZE_LABELS.items()])
    signatory = StringField(_l("Signatory (printed under the signature)"), validators=[Optional(), Length(max=60)])
    html = TextAreaField(_l("HTML"), validators=[DataRequired(), Length(max=100_000)])
    css = TextAreaField(_l("CSS"), validators=[Optional(), Length(max=100_000)])
    seal = FileField(_l("Seal image (PNG with a transparent background is best; up to 5 MB)"))
    signature = FileField(_l("Signature image (up to 5 MB)"))


class IssueForm(FlaskForm):
    kind = SelectField(_l("Certificate"), choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = kind_choices()


class RevokeForm(FlaskForm):
    reason = StringField(_l("Reason for revoking"), validators=[DataRequired(), Length(max=300)])


class ReissueForm(FlaskForm):
    name = StringField(_l("Name as printed"), validators=[DataRequired(), Length(max=60)])
    tier = StringField(_l("Tier"), validators=[Optional(), Length(max=60)])
    award = StringField(_l("Award"), validators=[Optional(), Length(max=120)])


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False  # a GET lookup form on a public page

    q = StringField(_l("Certificate serial or verification code"), validators=[DataRequired(), Length(max=64)])
