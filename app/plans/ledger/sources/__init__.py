"""The counters, one module per programme; importing this package registers them all
(app/plans/ledger/counters.COUNTERS)."""
from app.plans.ledger.sources import camps, events, followups, studios, traineeships  # noqa: F401
