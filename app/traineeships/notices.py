"""What the trainee is told when a host or the bureau decides on them (inbox, and mail or SMS
where they take them): one mail template for the five notices of the programme."""
from __future__ import annotations

from app.accounts.models import User
from app.notifications.services import notify
from app.traineeships.models import TraineeshipPlace


def tell(user: User, notice: str, subject, place: TraineeshipPlace, **params) -> None:
    """`notice`: traineeship_accepted, _declined, _confirmed, _rejected or _withdrawn; `params` add
    reason, starts, ends."""
    notify(user, notice, subject, "traineeship", registration=None, notice=notice, host=place.host.name,
           position=place.position, batch=place.batch.title, **{k: str(v) for k, v in params.items()})
