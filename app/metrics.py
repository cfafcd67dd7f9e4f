"""Prometheus metrics for operators (served by app/operations.py at /metrics, internal only).

Counted in the process: requests by URL rule (never the raw path: labels stay few), method and
status class, their latency, 5xx answers. Counted where they happen: text messages sent and
failed, batch prints and plan reports that failed (in Redis when it is configured, see EVENTS).
Read from Redis at each scrape: jobs waiting and failed per RQ queue.

Under gunicorn each worker is its own process: set PROMETHEUS_MULTIPROC_DIR (an empty directory
writable by the workers, before the processes start) and every process writes its counts there;
a scrape adds them up. gunicorn's config calls clean_multiprocess_dir() when it starts and
mark_process_dead(pid) from its child_exit hook.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from flask import Flask, current_app, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client import REGISTRY
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
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
# Events that happen in whichever process sends or renders: with Redis that is an RQ worker's work
# horse (a process per job), whose counts would be lost with it, so they are added up in a Redis
# hash that every process shares (METRICS_REDIS_KEY) and read at scrape time. Without Redis the
# work runs in the web processes' threads: counted there, like the requests.
EVENTS = {
    "sms_sent": ("minhang_sms_sent", "Text messages the provider accepted", None),
    "sms_failed": ("minhang_sms_failed", "Text messages given up on (refused, no template, out of attempts)", None),
    "jobs_failed": ("minhang_background_jobs_failed", "Batch prints and plan reports that failed, by kind", "kind"),
}
_local_events: dict[str, Counter] = {}  # made on first use only, so that none shows beside Redis's
_local_lock = threading.Lock()
_redis_clients: dict[str, Redis] = {}


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


def _redis(url: str) -> Redis:
    if url not in _redis_clients:
        _redis_clients[url] = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    return _redis_clients[url]


def _local_counter(event: str) -> Counter:
    with _local_lock:
        if event not in _local_events:
            name, documentation, label = EVENTS[event]
            _local_events[event] = Counter(name, documentation, [label] if label else [])
        return _local_events[event]


def _count(event: str, label: str | None = None) -> None:
    url = current_app.config.get("REDIS_URL")
    if url:
        field = f"{event}:{label}" if label else event
        try:
            _redis(url).hincrby(current_app.config["METRICS_REDIS_KEY"], field, 1)
        except Exception as exc:  # noqa: BLE001 - a count is never worth a failed send
            log.warning("metrics: could not count %s in Redis (%s)", field, type(exc).__name__)
        return
    counter = _local_counter(event)
    (counter.labels(label) if label else counter).inc()


def sms_outcome(sent: bool) -> None:
    _count("sms_sent" if sent else "sms_failed")


def job_failed(kind: str) -> None:
    _count("jobs_failed", kind)


class RedisCollector:
    """Read from Redis at scrape time (the workers are other processes): jobs waiting and failed per
    RQ queue, and the events counted in the shared hash. minhang_rq_up says whether Redis answered:
    a scrape never fails because of it."""

    def __init__(self, redis_url: str | None, queue_names: list[str], events_key: str):
        self.redis_url, self.queue_names, self.events_key = redis_url, queue_names, events_key

    def collect(self):
        if not self.redis_url:
            return
        up = GaugeMetricFamily("minhang_rq_up", "Whether Redis answered this scrape")
        queued = GaugeMetricFamily("minhang_rq_jobs_queued", "Jobs waiting in an RQ queue", labels=["queue"])
        failed = GaugeMetricFamily("minhang_rq_jobs_failed", "Jobs in an RQ queue's failed registry",
                                   labels=["queue"])
        events = {name: CounterMetricFamily(name, documentation, labels=[label] if label else [])
                  for name, documentation, label in EVENTS.values()}
        try:
            connection = _redis(self.redis_url)
            for name in self.queue_names:
                queue = Queue(name, connection=connection)
                queued.add_metric([name], queue.count)
                failed.add_metric([name], FailedJobRegistry(queue=queue).count)
            counted = {field.decode(): int(value) for field, value in connection.hgetall(self.events_key).items()}
        except Exception as exc:  # noqa: BLE001 - Redis down is a figure of the scrape, not its failure
            log.warning("metrics: Redis unreachable (%s)", type(exc).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        for event, (name, _documentation, label) in EVENTS.items():
            if label is None:
                events[name].add_metric([], counted.get(event, 0))
            for field, value in counted.items():
                if label is not None and field.startswith(f"{event}:"):
                    events[name].add_metric([field.split(":", 1)[1]], value)
        yield from (up, queued, failed, *events.values())


class _Without:
    """A registry's families but those named: with Redis, the events come from RedisCollector."""

    def __init__(self, source, names: set[str]):
        self.source, self.names = source, names

    def collect(self):
        return (family for family in self.source.collect() if family.name not in self.names)


def queue_names(app: Flask) -> list[str]:
    names = app.config.get("METRICS_RQ_QUEUES") or []
    return list(dict.fromkeys([app.config.get("NOTIFICATIONS_QUEUE") or "notifications", *names]))


def exposition(app: Flask) -> bytes:
    """The text a scrape gets: this process's counts (or every process's, in multiprocess mode)
    and the queues'."""
    if multiprocess_dir():
        source = CollectorRegistry()
        multiprocess.MultiProcessCollector(source)
    else:
        source = REGISTRY
    redis_url = app.config.get("REDIS_URL")
    counted = CollectorRegistry()
    counted.register(_Without(source, {name for name, _d, _l in EVENTS.values()} if redis_url else set()))
    shared = CollectorRegistry()
    shared.register(RedisCollector(redis_url, queue_names(app), app.config["METRICS_REDIS_KEY"]))
    return generate_latest(counted) + generate_latest(shared)


def _start() -> None:
    g.metrics_started = time.perf_counter()


def _count_request(response):
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
    app.after_request(_count_request)
