from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import Length, Optional

from app.person.rights.erasure import REASON_MAX


class EraseOwnForm(FlaskForm):
    understood = BooleanField(_l("I understand that this cannot be undone"))
    password = PasswordField(_l("Your password"), validators=[Optional(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


class EraseByAdminForm(FlaskForm):
    reason = StringField(_l("Reason (e.g. the person's written request of …)"),
                         validators=[Optional(), Length(max=REASON_MAX)])


class RetentionRunForm(FlaskForm):
    pass
