"""`flask satisfaction …`: the 感受度 surveys' sweep."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from app.satisfaction import tallies
from app.satisfaction.sending import send_due
from app.transaction import commit

satisfaction_cli = AppGroup("satisfaction", help="感受度 surveys after an occasion ends.")


@satisfaction_cli.command("send")
def satisfaction_send():
    """Send the surveys of the occasions that ended lately to those who attended (run daily)."""
    counts = send_due()
    click.echo(f"occasions {counts['occasions']}, sent {counts['sent']}")


@satisfaction_cli.command("recount")
def satisfaction_recount():
    """Rebuild each occasion's totals from its surveys (after a bulk load or a hand-made change)."""
    wrong = tallies.differences()
    count = tallies.recount()
    commit()
    click.echo(f"occasions {count}, corrected {len(wrong)}")
