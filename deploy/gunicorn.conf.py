"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Every value may be overridden on the command line (`--bind`, `--workers`, ...) or by
GUNICORN_CMD_ARGS. The point of this file is the access log: private links are masked there.
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.access_log import MaskingLogger  # noqa: E402 - needs the path above

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
accesslog = os.environ.get("ACCESS_LOG", "-")
errorlog = "-"
logger_class = MaskingLogger
# gunicorn's default format; the URL atoms (%(r)s, %(U)s, %(q)s, %(f)s) arrive masked.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
# Behind the documented reverse proxy: it sets X-Forwarded-Proto for HTTPS detection.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
