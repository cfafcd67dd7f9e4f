"""`flask demo`: the demo data set."""
from __future__ import annotations

import click

from app.demo.loader import load_demo


@click.command("demo")
@click.option("--participants", default=300, show_default=True, help="How many participant accounts.")
@click.option("--seed", default=2026, show_default=True)
def demo(participants, seed):
    """Load the believable demo data set (idempotent)."""
    summary = load_demo(participants=participants, seed=seed, echo=click.echo)
    click.echo(summary)
