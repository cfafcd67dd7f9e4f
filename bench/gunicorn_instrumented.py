"""gunicorn config for bench/registration.py --profile / --phases: dump each worker's results on exit."""
import sys


def worker_exit(server, worker):
    module = sys.modules.get("instrumented_wsgi")
    if module is not None:
        module.dump()
