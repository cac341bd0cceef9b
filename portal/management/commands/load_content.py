from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Import every content file under content/ by running each app's importer "
        "(settings.CONTENT_IMPORT_COMMANDS, in order). Idempotent: unchanged files change nothing."
    )

    def handle(self, *args: object, **options: object) -> None:
        available = get_commands()
        for name in settings.CONTENT_IMPORT_COMMANDS:
            if name not in available:
                self.stdout.write(f"{name}: not installed yet, skipped")
                continue
            call_command(name, stdout=self.stdout, stderr=self.stderr)
