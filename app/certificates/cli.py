"""`flask certificates print …`: a print-ready file of a selection, from the command line."""
from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.audit import services as audit
from app.certificates import printing, rendering
from app.certificates.models import Certificate
from app.extensions import db

certificates_cli = AppGroup("certificates", help="Certificates: print batches.")


def _ids(value: str | None) -> list[int] | None:
    if not value:
        return None
    try:
        return [int(part) for part in value.replace(" ", "").split(",") if part]
    except ValueError:
        raise click.BadParameter("comma-separated certificate ids, e.g. 12,13,20") from None


@certificates_cli.command("print")
@click.option("--event", "event_id", type=int, help="Certificates issued for this event.")
@click.option("--cohort", "cohort_id", type=int, help="Certificates issued for this camp cohort.")
@click.option("--competition", "competition_id", type=int, help="Certificates issued for this competition.")
@click.option("--kind", type=click.Choice(["completion", "distinction", "award", "attendance"]))
@click.option("--ids", help="Comma-separated certificate ids, printed in this order.")
@click.option("--include-invalid", is_flag=True, help="Also print revoked and superseded certificates.")
@click.option("--zip", "as_zip", is_flag=True, help="A ZIP of one PDF per certificate instead of one PDF.")
@click.option("--output", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option("--base-url", default=None, help="Site address for the QR links (default: PUBLIC_BASE_URL).")
def print_certificates(event_id, cohort_id, competition_id, kind, ids, include_invalid, as_zip, output, base_url):
    """One print-ready PDF (or ZIP) of the selected certificates, ordered by serial."""
    subjects = [(t, i) for t, i in (("event", event_id), ("cohort", cohort_id), ("competition", competition_id))
                if i is not None]
    if len(subjects) > 1:
        raise click.UsageError("give one of --event, --cohort, --competition")
    query = sa.select(Certificate)
    if subjects:
        query = query.where(Certificate.subject_type == subjects[0][0], Certificate.subject_id == subjects[0][1])
    if kind:
        query = query.where(Certificate.kind == kind)
    if not include_invalid:
        query = query.where(Certificate.revoked_at.is_(None), Certificate.superseded_at.is_(None))
    wanted = _ids(ids)
    if wanted is not None:
        query = query.where(Certificate.id.in_(wanted))
    certs = db.session.scalars(query.order_by(Certificate.issued_on, Certificate.serial)).all()
    if wanted is not None:
        order = {cid: n for n, cid in enumerate(wanted)}
        certs = sorted(certs, key=lambda c: order[c.id])
    if not certs:
        raise click.ClickException("no certificates match")
    with click.progressbar(length=len(certs), label=f"{len(certs)} certificates") as bar:
        seen = [0]

        def progress(done: int) -> None:
            done = min(done, len(certs))
            bar.update(done - seen[0])
            seen[0] = done

        with rendering.url_context(base_url), open(output, "wb") as out:  # written as it is rendered
            printing.render_to(out, list(certs), "zip" if as_zip else "pdf", progress)
        progress(len(certs))
    audit.record(None, "certificates.bulk_print", None, output="zip" if as_zip else "pdf", count=len(certs),
                 first=certs[0].serial, last=certs[-1].serial, via="cli")
    db.session.commit()
    click.echo(f"wrote {output}: {len(certs)} certificates, {Path(output).stat().st_size // 1024} KB")

