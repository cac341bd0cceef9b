"""Schedule the daily link check (curriculum.tasks.check_resource_links) in django-celery-beat.

The schedule lives in the database, so it can be changed in the admin ("Periodic tasks"); this
migration only creates it when missing and never overwrites an edited one.
"""

from django.db import migrations
from django.utils import timezone

TASK_NAME = "Check resource links"
TASK = "curriculum.tasks.check_resource_links"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="UTC",
    )
    _, created = PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK,
            "crontab": daily,
            "description": "Checks every resource URL and records whether it still works.",
        },
    )
    if created:
        # A running beat (DatabaseScheduler) reloads its schedule when this timestamp changes;
        # historical models send no signals, so touch it here.
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTask.objects.filter(name=TASK_NAME, task=TASK).delete()
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [
        ("curriculum", "0002_resource_link_health"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
