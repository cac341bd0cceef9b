from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import services


class Command(BaseCommand):
    help = "Create the demo learner and demo admin (only when DEBUG is on)."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo logins are only created when DEBUG is on.")
        for login in services.demo_users_ensure():
            self.stdout.write(f"Demo {login.role}: {login.email} / {login.password}")
