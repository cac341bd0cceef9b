"""Send a learner's study reminder (or weekly digest) now, through the real dispatch path.

    python manage.py send_reminder learner@example.com [--digest]

With `make run` (no broker) the send runs in-process and the console email backend prints the
email. The idempotency key still holds: a second run on the same local day sends nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from portal.models import User
from progress.models import ReminderDelivery
from progress.reminders import reminder_send_now


class Command(BaseCommand):
    help = "Send a learner's study reminder (or weekly digest) now."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("email")
        parser.add_argument("--digest", action="store_true", help="The weekly digest instead.")

    def handle(self, *args: object, email: str, digest: bool, **options: object) -> None:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account with the email address {email}.")
        kind = ReminderDelivery.Kind.DIGEST if digest else ReminderDelivery.Kind.REMINDER
        delivery = reminder_send_now(user=user, kind=kind)
        if delivery is None:
            raise CommandError(
                f"Today's {kind} for {email} was already sent or logged: one per day "
                "(see /progress/reminders/ or the admin's reminder log)."
            )
        delivery.refresh_from_db()
        detail = f": {delivery.reason}" if delivery.reason else ""
        self.stdout.write(f"{kind} for {email} on {delivery.local_date}: {delivery.state}{detail}")
