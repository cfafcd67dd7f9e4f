"""`flask followups …`: the follow-up surveys' daily job."""
from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from app.followups.sending import send_due

followups_cli = AppGroup("followups", help="Follow-up surveys months after a programme ends.")


@followups_cli.command("send")
@click.option("--today", help="Act as on this day (YYYY-MM-DD), e.g. to catch up after an outage.")
def followups_send(today):
    """Make and send the surveys that are due, close the expired ones (run once a day)."""
    try:
        day = date.fromisoformat(today) if today else None
    except ValueError:
        raise click.BadParameter("YYYY-MM-DD", param_hint="--today") from None
    counts = send_due(day)
    click.echo(f"sent {counts['sent']}, skipped {counts['skipped']}, expired {counts['expired']}")
