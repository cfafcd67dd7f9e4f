from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.web import CheckboxesField


class LoginForm(FlaskForm):
    login = StringField(_l("Mobile number or email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in"))


class ProfileFields:
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=60)])
    mobile = StringField(_l("Mobile number"), validators=[Optional(), Length(max=20)],
                         render_kw={"inputmode": "tel", "autocomplete": "tel"})
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=254)],
                       render_kw={"autocomplete": "email"})
    employer = StringField(_l("Employer"), validators=[Optional(), Length(max=120)],
                           render_kw={"autocomplete": "organization"})
    id_number = StringField(_l("ID number (optional)"), validators=[Optional(), Length(max=18)],
                            description=_l("Stored securely and shown masked."))


class SignupForm(ProfileFields, FlaskForm):
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=8, max=200)],
                             render_kw={"autocomplete": "new-password"})
    # Checked by the service (accounts.services.sign_up_agreeing), which names it with the other problems.
    consent = BooleanField(_l("I have read the privacy notice and agree to it"))


class ConsentForm(FlaskForm):
    consent = BooleanField(_l("I have read the privacy notice and agree to it"))


class ProfileForm(ProfileFields, FlaskForm):
    language = SelectField(_l("Language"), choices=[SelectChoice("zh_CN", "简体中文"), SelectChoice("en", "English")])
    notify_mail = BooleanField(_l("By email"))
    notify_sms = BooleanField(_l("By text message (SMS)"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8, max=200)])


class UserAdminForm(FlaskForm):
    roles = CheckboxesField(_l("Roles"), choices=[])
    departments = CheckboxesField(_l("Departments"), coerce=int, choices=[])
    active = BooleanField(_l("Account active"))


class UserCreateForm(FlaskForm):
    login = StringField(_l("Mobile number or email"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=60)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=8, max=200)])
    role = SelectField(_l("Role"), choices=[])
    departments = CheckboxesField(_l("Departments"), coerce=int, choices=[])
