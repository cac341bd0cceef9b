"""Schedule the reminder dispatcher (progress.tasks.dispatch_reminders) in django-celery-beat,
every five minutes. The schedule lives in the database, so it can be changed in the admin
("Periodic tasks"); this migration only creates it when missing and never overwrites an edited one.
"""

from django.db import migrations
from django.utils import timezone

TASK_NAME = "Dispatch study reminders"
TASK = "progress.tasks.dispatch_reminders"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    every, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    _, created = PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK,
            "interval": every,
            "description": "Sends the study reminders and weekly digests that are due.",
        },
    )
    if created:
        # A running beat (DatabaseScheduler) reloads its schedule when this timestamp changes.
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTask.objects.filter(name=TASK_NAME, task=TASK).delete()
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0002_reminders"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
