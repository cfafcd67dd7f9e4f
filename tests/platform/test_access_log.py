"""Private links never reach gunicorn's access log (issue 11, finding 9)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from app.privacy import mask_private_urls

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Zq7kP2mXw9Lr4Tn8Vb3Hc6Jd"


@pytest.mark.parametrize("line, kept", [
    (f"GET /t/{SECRET} HTTP/1.1", "GET /t/*** HTTP/1.1"),
    (f"GET /t/{SECRET}/ticket.png HTTP/1.1", "GET /t/***/ticket.png HTTP/1.1"),
    (f"POST /t/{SECRET}/resend HTTP/1.1", "POST /t/***/resend HTTP/1.1"),
    (f"GET /calendar/feed/{SECRET}.ics HTTP/1.1", "GET /calendar/feed/***.ics HTTP/1.1"),
    ("GET /c/482913 HTTP/1.1", "GET /c/*** HTTP/1.1"),
    ("GET /verify/MH-2026-000123-X7Q9 HTTP/1.1", "GET /verify/*** HTTP/1.1"),
    ("GET /api/v1/certificates/verify/X7Q9 HTTP/1.1", "GET /api/v1/certificates/verify/*** HTTP/1.1"),
    ("GET /verify?q=MH-2026-000123 HTTP/1.1", "GET /verify?q=*** HTTP/1.1"),
    (f"https://rencai.example/t/{SECRET}", "https://rencai.example/t/***"),
    (f"POST /jobfairs/b/{SECRET} HTTP/1.1", "POST /jobfairs/b/*** HTTP/1.1"),
    ("GET /events/12?page=2 HTTP/1.1", "GET /events/12?page=2 HTTP/1.1"),
    ("GET /static/css/app.css HTTP/1.1", "GET /static/css/app.css HTTP/1.1"),
    ("GET /calendar/events/3.ics HTTP/1.1", "GET /calendar/events/3.ics HTTP/1.1"),
])
def test_private_parts_of_urls_are_masked(line, kept):
    assert mask_private_urls(line) == kept


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_with_the_shipped_config_masks_a_ticket_link(tmp_path):
    port, log = _free_port(), tmp_path / "access.log"
    env = dict(os.environ, APP_ENV="testing", DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
               INSTANCE_PATH=str(tmp_path), ACCESS_LOG=str(log), BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/t/{SECRET}",
                                         headers={"Referer": f"http://127.0.0.1:{port}/t/{SECRET}"})
        for _ in range(300):  # until gunicorn listens (start-up time varies with the machine's load)
            try:
                urllib.request.urlopen(request, timeout=10)
                break
            except urllib.error.HTTPError:
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.stdout.read().decode()
                time.sleep(0.1)
        for _ in range(100):  # the line is written after the answer
            if log.exists() and "/t/" in log.read_text():
                break
            time.sleep(0.05)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    text = log.read_text()
    assert '"GET /t/*** HTTP/1.1"' in text and f'"http://127.0.0.1:{port}/t/***"' in text, text + output
    assert SECRET not in text and SECRET not in output
