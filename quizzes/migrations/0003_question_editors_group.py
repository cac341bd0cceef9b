"""The "Question editors" group: write and edit questions and banks, edit exams and their dates,
and nothing outside the quizzes app.

No delete permission: questions are archived or retired, never deleted (attempts keep the
versions they asked). Permissions are normally created after migrations (post_migrate), so they
are created here first. A quizzes model added later adds its permissions in its own migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Question editors"
PERMISSIONS = {
    "questionbank": ("add", "change", "view"),
    "question": ("add", "change", "view"),
    "choice": ("add", "change", "view", "delete"),  # choices are rows of a question's form
    "questionexam": ("add", "change", "view", "delete"),  # so are its exam mappings
    "questionversion": ("view",),
    "exam": ("change", "view"),
    "examdomain": ("change", "view"),
}


def create_group(apps, schema_editor):
    app_config = apps.get_app_config("quizzes")
    app_config.models_module = True  # historical app configs have none; create_permissions needs it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [
        f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions
    ]
    permissions = Permission.objects.filter(
        content_type__app_label="quizzes", codename__in=codenames
    )
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0002_questions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
