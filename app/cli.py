"""`flask` commands for operators: each domain's command group, registered here (and only here,
by create_app), and `flask rq worker` for the background jobs."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from redis import Redis

from app import jobs
from app.accounts.cli import users_cli
from app.backup.cli import backup_cli
from app.certificates import printing
from app.certificates.cli import certificates_cli
from app.demo.cli import demo
from app.file_store.cli import files_cli
from app.followups import sending as followup_sending
from app.followups.cli import followups_cli
from app.satisfaction import sending as satisfaction_sending
from app.satisfaction.cli import satisfaction_cli
from app.notifications.cli import outbox_cli
from app.notifications.sms.cli import sms_cli
from app.person.rights import retention
from app.person.rights.cli import privacy_cli
from app.plans.cli import plans_cli
from app.plans.reports import services as plan_reports
from app.reminders.cli import reminders_cli
from app.worker import AppWorker

rq_cli = AppGroup("rq", help="Background jobs (needs REDIS_URL).")


@rq_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def rq_worker(burst):
    """Run an RQ worker inside the app (its config and database): batch printing and notices (SMS
    and their retries, reminders at their time). Its scheduler moves jobs scheduled with
    `enqueue_at` onto their queue when their time comes."""
    url = jobs.redis_url()
    if not url:
        raise click.ClickException("REDIS_URL is not set: without it batches run inside the web process")
    # the daily jobs, each rescheduled by itself from then on
    if retention.years() > 0:
        retention.schedule_next()
    followup_sending.schedule_next()
    satisfaction_sending.schedule_next()
    plan_reports.schedule_next()  # the monthly report, on the 1st at 08:00 in Shanghai
    maintenance = current_app.config["RQ_MAINTENANCE_SECONDS"]
    # An idle worker looks at its maintenance only when its wait for a job (worker_ttl - 15 s) ends.
    worker = AppWorker([printing.QUEUE, plan_reports.QUEUE, jobs.notifications_queue_name()],
                       connection=Redis.from_url(url), app=current_app._get_current_object(),
                       maintenance_interval=maintenance, worker_ttl=maintenance + 15)
    worker.work(burst=burst, with_scheduler=True)


def init_app(app: Flask) -> None:
    for command in (certificates_cli, rq_cli, users_cli, outbox_cli, sms_cli, reminders_cli, followups_cli,
                    satisfaction_cli, privacy_cli, plans_cli, backup_cli, files_cli, demo):
        app.cli.add_command(command)
