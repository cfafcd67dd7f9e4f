"""Run one action from many threads at once, each with its own database connection."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from app.extensions import db


def race(app, action, items, workers: int) -> tuple[list, list[str]]:
    """`action(item)` in a request context per item; all workers start together. Returns the
    values `action` returned (after a successful commit) and the errors, as repr strings."""
    start = threading.Event()
    results, errors = [], []

    def attempt(item):
        with app.test_request_context():
            try:
                start.wait(timeout=30)  # every worker thread is up before any starts
                value = action(item)
                db.session.commit()
                results.append(value)
            except Exception as exc:  # noqa: BLE001 - collected for the test to assert on
                db.session.rollback()
                errors.append(repr(exc))
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(attempt, item) for item in items]
        time.sleep(0.5)
        start.set()
        for future in futures:
            future.result()
    return results, errors
