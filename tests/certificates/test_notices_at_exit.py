"""Without Redis a big batch's notices go to a thread of the process that committed the batch. A
command that issues certificates and returns must not end that thread's work half done: the process
waits for it at exit. Run in a child process, because what is tested is the interpreter's exit."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from app import jobs
from app.certificates import notices

ROOT = Path(__file__).resolve().parents[2]

# The child commits nothing: a stand-in for run_notices takes its time (as telling 8,600 holders
# does) and then writes down what it was handed; the child returns as soon as it has dispatched.
CHILD = textwrap.dedent("""
    import sys, time
    from app import create_app
    from app.certificates import notices

    def slow_notices(cert_ids, locale):
        time.sleep(1.5)
        with open(sys.argv[1], "w") as out:
            out.write(f"{cert_ids} {locale}")

    notices.run_notices = slow_notices
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://", REDIS_URL=None)
    with app.app_context():
        notices.dispatch([7, 8, 9], "zh_CN")
    print("dispatched", flush=True)
""")


def test_a_process_that_exits_after_a_big_batch_finishes_telling_its_holders_first(tmp_path):
    told = tmp_path / "told.txt"
    child = subprocess.run([sys.executable, "-c", CHILD, str(told)], cwd=ROOT, capture_output=True, text=True,
                           timeout=120)
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == "dispatched"
    assert told.read_text() == "[7, 8, 9] zh_CN"


def test_the_notices_thread_is_joined_at_exit_and_other_threads_are_not(app, monkeypatch):
    monkeypatch.setattr(notices.jobs, "redis_url", lambda: None)
    seen = []
    monkeypatch.setattr(notices, "run_notices", lambda ids, locale: seen.append((ids, locale)))
    started = []
    real = jobs.in_thread
    monkeypatch.setattr(notices.jobs, "in_thread", lambda *a, **kw: started.append(real(*a, **kw)))
    with app.app_context():
        notices.dispatch([1, 2], "en")
        started[0].join(5)
        other = real(lambda: None, name="other")
        other.join(5)
    assert seen == [([1, 2], "en")]
    assert started[0].daemon is False and started[0].name == "certificate-notices"
    assert other.daemon is True  # a sweeper or an SMS send does not hold a worker's exit

