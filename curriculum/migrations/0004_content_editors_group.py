"""The "Content editors" group: add, change and view every curriculum model, and nothing else.

No delete permission: curriculum rows are archived, never deleted (learner progress, notes and
quiz questions refer to them, and the content files would bring them back on the next import).
Permissions are normally created after migrations (post_migrate), so they are created here first.
A curriculum model added later needs its permissions added to the group by its own migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Content editors"
ACTIONS = ("add", "change", "view")


def create_group(apps, schema_editor):
    app_config = apps.get_app_config("curriculum")
    app_config.models_module = True  # historical app configs have none; create_permissions needs it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [
        f"{action}_{model._meta.model_name}"
        for model in app_config.get_models()
        for action in ACTIONS
    ]
    permissions = Permission.objects.filter(
        content_type__app_label="curriculum", codename__in=codenames
    )
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("curriculum", "0003_link_check_schedule"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
