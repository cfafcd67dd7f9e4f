"""`flask plans …`: load a plan from its file (plans/*.yaml or *.json), list the plans loaded."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db
from app.plans import loading

plans_cli = AppGroup("plans", help="The plans (three-year action plans) and their targets.")


@plans_cli.command("load")
@click.argument("path", type=click.Path(dir_okay=False))
def load(path):
    """Load a plan file; a plan with the same slug is updated in place (its figures and tags kept)."""
    try:
        result = loading.load_file(path)
    except loading.PlanFileInvalid as exc:
        db.session.rollback()
        raise click.ClickException("\n".join([str(exc.message), *exc.problems])) from None
    db.session.commit()
    plan = result.plan
    click.echo(f"{'loaded' if result.created else 'updated'} {plan.slug}: {plan.title} "
               f"({plan.starts_on} – {plan.ends_on}), {result.items} items, {result.targets} targets")
    if result.departments_created:
        click.echo("departments created: " + ", ".join(result.departments_created))
    if result.removed:
        click.echo("removed (no figures or tags): " + ", ".join(result.removed))


@plans_cli.command("list")
def list_plans():
    """The plans loaded, newest first."""
    for plan in loading.plans():
        click.echo(f"{plan.slug}\t{plan.starts_on} – {plan.ends_on}\t{len(plan.items)} items\t"
                   f"{len(plan.targets)} targets\t{plan.title}")
