"""Prometheus metrics for operators (served by app/operations.py at /metrics, internal only).

Counted in the process: requests by URL rule (never the raw path: labels stay few), method and
status class, their latency, 5xx answers, text messages sent and failed, batch prints and plan
reports that failed. Read from Redis at each scrape: jobs waiting and failed per RQ queue.

Under gunicorn each worker is its own process: set PROMETHEUS_MULTIPROC_DIR (an empty directory
writable by the workers, before the processes start) and every process writes its counts there;
a scrape adds them up. gunicorn's config calls clean_multiprocess_dir() when it starts and
mark_process_dead(pid) from its child_exit hook.
"""
from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from flask import Flask, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client import REGISTRY
from prometheus_client.core import GaugeMetricFamily
from redis import Redis
from rq import Queue
from rq.registry import FailedJobRegistry

log = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
UNMATCHED = "<unmatched>"  # a 404 (or a request refused before routing) has no rule
# Any token is a method to werkzeug: others are counted together, so that labels stay few.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter("minhang_http_requests_total", "HTTP requests answered, by URL rule, method and status class",
                   ["endpoint", "method", "status"])
LATENCY = Histogram("minhang_http_request_duration_seconds", "Time to answer a request, by URL rule",
                    ["endpoint"], buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
ERRORS = Counter("minhang_http_errors_total", "Requests answered with a 5xx, by URL rule", ["endpoint"])
SMS_SENT = Counter("minhang_sms_sent_total", "Text messages the provider accepted")
SMS_FAILED = Counter("minhang_sms_failed_total", "Text messages given up on (refused, no template, out of attempts)")
JOBS_FAILED = Counter("minhang_background_jobs_failed_total",
                      "Batch prints and plan reports that failed, by kind", ["kind"])


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def clean_multiprocess_dir() -> None:
    """At gunicorn's start (before any worker): counts of processes from an earlier run go."""
    folder = multiprocess_dir()
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for path in Path(folder).glob("*.db"):
            path.unlink()


def mark_process_dead(pid: int) -> None:
    """gunicorn's child_exit hook: a finished worker's live gauges leave the sums (its counts stay)."""
    if multiprocess_dir():
        multiprocess.mark_process_dead(pid)


def sms_outcome(sent: bool) -> None:
    (SMS_SENT if sent else SMS_FAILED).inc()


def job_failed(kind: str) -> None:
    JOBS_FAILED.labels(kind=kind).inc()


class QueueCollector:
    """Jobs waiting and failed per RQ queue, read from Redis at scrape time (the workers are other
    processes). minhang_rq_up says whether Redis answered: a scrape never fails because of it."""

    def __init__(self, redis_url: str | None, queue_names: list[str]):
        self.redis_url, self.queue_names = redis_url, queue_names

    def collect(self):
        if not self.redis_url:
            return
        up = GaugeMetricFamily("minhang_rq_up", "Whether Redis answered this scrape")
        queued = GaugeMetricFamily("minhang_rq_jobs_queued", "Jobs waiting in an RQ queue", labels=["queue"])
        failed = GaugeMetricFamily("minhang_rq_jobs_failed", "Jobs in an RQ queue's failed registry",
                                   labels=["queue"])
        try:
            connection = Redis.from_url(self.redis_url, socket_connect_timeout=1, socket_timeout=1)
            for name in self.queue_names:
                queue = Queue(name, connection=connection)
                queued.add_metric([name], queue.count)
                failed.add_metric([name], FailedJobRegistry(queue=queue).count)
        except Exception as exc:  # noqa: BLE001 - Redis down is a figure of the scrape, not its failure
            log.warning("metrics: Redis unreachable (%s)", type(exc).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield from (up, queued, failed)


def queue_names(app: Flask) -> list[str]:
    names = app.config.get("METRICS_RQ_QUEUES") or []
    return list(dict.fromkeys([app.config.get("NOTIFICATIONS_QUEUE") or "notifications", *names]))


def exposition(app: Flask) -> bytes:
    """The text a scrape gets: this process's counts (or every process's, in multiprocess mode)
    and the queues'."""
    if multiprocess_dir():
        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    queues = CollectorRegistry()
    queues.register(QueueCollector(app.config.get("REDIS_URL"), queue_names(app)))
    return generate_latest(counted) + generate_latest(queues)


def _start() -> None:
    g.metrics_started = time.perf_counter()


def _count(response):
    started = g.pop("metrics_started", None)
    rule = request.url_rule.rule if request.url_rule is not None else UNMATCHED
    method = request.method if request.method in METHODS else "other"
    REQUESTS.labels(endpoint=rule, method=method, status=f"{response.status_code // 100}xx").inc()
    if started is not None:
        LATENCY.labels(endpoint=rule).observe(time.perf_counter() - started)
    if response.status_code >= 500:
        ERRORS.labels(endpoint=rule).inc()
    return response


def init_app(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_count)
