"""`flask outbox …`: the mail outbox."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from app.notifications.services import deliver

outbox_cli = AppGroup("outbox", help="The mail outbox.")


@outbox_cli.command("send")
def outbox_send():
    """Send queued mail now (when MAIL_SERVER is configured)."""
    counts = deliver()
    click.echo(f"sent {counts['sent']}, failed {counts['failed']}")
