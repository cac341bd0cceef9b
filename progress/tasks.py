"""Reminder background work. Both tasks are safe to run twice and to lose (progress.reminders).

`dispatch_reminders` runs on the django-celery-beat schedule that migration
0003_reminder_dispatch_schedule creates (every five minutes; editable in the admin under
"Periodic tasks"). It enqueues `send_reminders` in chunks of delivery ids.

`send_reminders` acknowledges its message only when done (`acks_late`), and with
`CELERY_TASK_REJECT_ON_WORKER_LOST` a message whose worker died goes back to the queue (after the
broker's visibility timeout); the claim on each row makes a second run send nothing twice. Mail
errors are retried with exponential backoff, then logged as failed.
"""

import contextlib
import smtplib
from dataclasses import asdict

from celery import shared_task
from django.conf import settings
from django.core.mail import get_connection

from . import reminders

MAIL_ERRORS = (smtplib.SMTPException, OSError)


@shared_task(name="progress.tasks.dispatch_reminders")
def dispatch_reminders() -> dict[str, int]:
    return asdict(reminders.reminders_dispatch())


def backoff(retries: int) -> int:
    return min(settings.REMINDER_RETRY_BACKOFF_SECONDS * 2**retries, 3600)


@shared_task(
    bind=True,
    name="progress.tasks.send_reminders",
    acks_late=True,
    max_retries=settings.REMINDER_MAX_RETRIES,
)
def send_reminders(self, delivery_ids: list[int]) -> dict[str, int]:  # noqa: ANN001
    """Send each delivery once (one SMTP connection for the chunk); retry the ones the mail server
    refused, with backoff, and log them as failed after the last retry."""
    outcome: dict[str, int] = {}
    failed: list[int] = []
    error = ""
    connection = get_connection()
    try:
        for delivery_id in delivery_ids:
            try:
                state = reminders.deliver(delivery_id, connection=connection)
            except MAIL_ERRORS as exc:
                failed.append(delivery_id)
                error = f"{type(exc).__name__}: {exc}"
                state = "retry"
            outcome[state] = outcome.get(state, 0) + 1
    finally:
        with contextlib.suppress(*MAIL_ERRORS):
            connection.close()
    if failed:
        if self.request.retries < self.max_retries:
            raise self.retry(args=[failed], countdown=backoff(self.request.retries))
        reminders.fail(failed, error)
    return outcome
