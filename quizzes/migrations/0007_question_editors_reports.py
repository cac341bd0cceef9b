"""Question editors read learners' problem reports and resolve or dismiss them (view and change;
reports come from learners, so no add, and they are kept, so no delete)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Question editors"
CODENAMES = ["view_questionreport", "change_questionreport"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("quizzes")
    app_config.models_module = True  # historical app configs have none; create_permissions needs it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="quizzes", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="quizzes", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0006_learning_from_practice"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
