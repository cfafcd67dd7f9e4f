"""RQ worker without Flask's CLI, beside wsgi.py:

    rq worker --worker-class worker.Worker --with-scheduler --url "$REDIS_URL" certificates notifications

The app is built from the environment (APP_ENV, DATABASE_URL, SECRET_KEY, ...) like wsgi.py does,
once per worker process; each job runs in an app context of its own (app/worker.py).
"""
from app import create_app
from app.worker import AppWorker


class Worker(AppWorker):
    def make_app(self):
        return create_app()
