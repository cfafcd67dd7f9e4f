"""`flask privacy retention [--dry-run]`: the retention job by hand (cron, or to look first)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from app.person.rights import retention
from app.timeutil import fmt
from app.transaction import commit

privacy_cli = AppGroup("privacy", help="Personal data: retention.")


@privacy_cli.command("retention")
@click.option("--dry-run", is_flag=True, help="Only list who is due (masked); change nothing.")
def retention_command(dry_run):
    """Anonymise participants inactive for RETENTION_YEARS after their last occasion."""
    if dry_run:
        due = retention.due()
        for person in due:
            click.echo(f"#{person.user_id}\t{person.login_masked}\t{fmt(person.last_occasion)}")
        click.echo(f"{len(due)} due (cut-off {retention.cutoff(retention.local_today()).date()})")
        return
    erased = retention.run(None)
    commit()
    click.echo(f"{len(erased)} anonymised")
