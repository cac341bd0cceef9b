"""Tombstones now live in portal (portal.0003_tombstone): copy every row there, oldest first
(so the new ids keep their order), then drop progress' table. Reversible: going back recreates
the table and copies the rows back."""

from django.db import migrations


def _copy(schema_editor, source, target) -> None:
    """INSERT ... SELECT in one statement: `deleted_at` keeps its value (a model save would
    stamp it anew, as the field is auto_now_add)."""
    quote = schema_editor.quote_name
    columns = ", ".join(quote(name) for name in ("user_id", "kind", "object_id", "deleted_at"))
    schema_editor.execute(
        f"INSERT INTO {quote(target._meta.db_table)} ({columns}) "
        f"SELECT {columns} FROM {quote(source._meta.db_table)} ORDER BY {quote('id')}"
    )


def to_portal(apps, schema_editor) -> None:
    _copy(
        schema_editor,
        apps.get_model("progress", "Tombstone"),
        apps.get_model("portal", "Tombstone"),
    )


def to_progress(apps, schema_editor) -> None:
    """Back: the rows return to progress and leave portal's table empty, so migrating forward
    again does not copy them twice."""
    portal_tombstone = apps.get_model("portal", "Tombstone")
    _copy(schema_editor, portal_tombstone, apps.get_model("progress", "Tombstone"))
    portal_tombstone.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_tombstone"),
        ("progress", "0003_reminder_dispatch_schedule"),
    ]

    operations = [
        migrations.RunPython(to_portal, to_progress),
        migrations.DeleteModel(name="Tombstone"),
    ]
