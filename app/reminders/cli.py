"""`flask reminders …`: reminders before occasions."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from app.reminders.services import send_due

reminders_cli = AppGroup("reminders", help="Reminders before occasions.")


@reminders_cli.command("send")
def reminders_send():
    """Send the reminders that are due (the sweep: RQ's scheduler sends them on time when
    REDIS_URL is set; this catches anything it missed, and is the way without Redis)."""
    counts = send_due()
    click.echo(f"sent {counts['sent']}, skipped {counts['skipped']}")
