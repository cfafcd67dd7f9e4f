"""`flask sms …`: text messages."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from app.notifications.sms.services import deliver_due

sms_cli = AppGroup("sms", help="Text messages (SMS).")


@sms_cli.command("send")
def sms_send():
    """Send the text messages that are due (needs SMS_PROVIDER)."""
    counts = deliver_due()
    click.echo(", ".join(f"{k} {v}" for k, v in counts.items()))
