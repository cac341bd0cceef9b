"""Email backends for the worker processes of test_reminder_faults.py (TEST_EMAIL_BACKEND)."""

import time

from django.core.mail.backends.filebased import EmailBackend

SEND_SECONDS = 0.15


class SlowFileBackend(EmailBackend):
    """The filebased backend, taking a while over each message (as a remote mail server does), so
    a test can kill the worker between two sends. Each message is on disk once `send` returns."""

    def write_message(self, message: object) -> None:
        time.sleep(SEND_SECONDS)
        super().write_message(message)
