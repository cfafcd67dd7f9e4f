"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Every value may be overridden on the command line (`--bind`, `--workers`, ...), by GUNICORN_CMD_ARGS
or by the environment variables read below (deploy/minhang.env.example lists them). The access log
masks private links (app/access_log.py). Signals (systemd's minhang-web.service uses them): TERM
stops gracefully (requests in flight finish within graceful_timeout), HUP reloads the code and
settings with new workers while the old ones finish, QUIT stops at once.
"""
import multiprocessing
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import metrics  # noqa: E402 - needs the path above
from app.access_log import MaskingLogger  # noqa: E402 - needs the path above


def _workers() -> int:
    # Requests spend much of their time waiting for PostgreSQL: two per core plus one, but never so
    # many that the database's connections (each worker keeps a pool) run out on a big machine.
    configured = os.environ.get("WEB_CONCURRENCY")
    if configured:
        return max(1, int(configured))
    return max(2, min(2 * multiprocessing.cpu_count() + 1, 12))


bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = _workers()
# A request that takes longer is stuck (large work goes to RQ); its worker is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# After TERM or HUP, requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# nginx keeps connections to the app servers open (its upstream `keepalive`); a little longer than
# nginx's own idle timeout would be wrong, so keep it short.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Workers are replaced now and then, at different moments, so that a slow leak never grows.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Off: each worker builds the app, and so its database pool, after the fork. With --preload the
# pool built in the master is dropped in post_fork below, so no two processes share a connection.
preload_app = False
# The workers' heartbeat files in memory: a slow disk cannot make gunicorn think they hang.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = os.environ.get("ACCESS_LOG", "-")
errorlog = "-"
logger_class = MaskingLogger
# gunicorn's default format plus the request id nginx sets; the URL atoms (%(r)s, %(U)s, %(q)s,
# %(f)s) arrive masked.
access_log_format = ('%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms '
                     'rid=%({x-request-id}i)s')
# The proxy's addresses: only they may say, in X-Forwarded-Proto, that the request came over HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    """With --preload the app (and its engine) was built in the master: its pooled connections
    would be shared by every worker. Each worker opens its own."""
    app = getattr(server.app, "callable", None)
    database = getattr(app, "extensions", {}).get("sqlalchemy")
    if database is None:
        return
    with app.app_context():
        for engine in database.engines.values():
            engine.dispose(close=False)


def on_starting(server):
    """The workers' shared metrics directory (PROMETHEUS_MULTIPROC_DIR) starts empty: counts of an
    earlier run's processes would be added to this one's."""
    metrics.clean_multiprocess_dir()


def child_exit(server, worker):
    """A dead worker's metric files are merged into the totals, not counted as live."""
    metrics.mark_process_dead(worker.pid)
