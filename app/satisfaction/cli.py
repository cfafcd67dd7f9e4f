"""`flask satisfaction …`: the 感受度 surveys' sweep."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from app.satisfaction.sending import send_due

satisfaction_cli = AppGroup("satisfaction", help="感受度 surveys after an occasion ends.")


@satisfaction_cli.command("send")
def satisfaction_send():
    """Send the surveys of the occasions that ended lately to those who attended (run daily)."""
    counts = send_due()
    click.echo(f"occasions {counts['occasions']}, sent {counts['sent']}")
