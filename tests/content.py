"""The real content (`manage.py load_content`) as test data, imported once per test run.

Browser tests run against `live_server`, so their database is emptied after each test and the
content has to come back for the next one. Importing it takes seconds (every file parsed, every
question's Markdown rendered); the rows it writes are always the same. `real_content()` runs the
real `load_content` the first time, keeps the rows it wrote, and puts the same rows back with one
bulk insert per table the next times. Tests about the importers themselves call the command.
"""

from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction

from curriculum.services import content_stamp_bump

Rows = list[tuple[type[models.Model], list[str], list[tuple]]]
_written: dict[tuple[str, ...], Rows] = {}


def _tables() -> list[type[models.Model]]:
    every = apps.get_models(include_auto_created=True)
    return [model for model in every if model._meta.managed and not model._meta.proxy]


def _columns(model: type[models.Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _pks(model: type[models.Model]) -> set:
    return set(model._base_manager.values_list("pk", flat=True))


def real_content(*commands: str) -> None:
    """Bring in the content `commands` import (by default `load_content`: everything `make run`
    loads) into a database that has none of it yet."""
    commands = commands or ("load_content",)
    if commands not in _written:
        before = {model: _pks(model) for model in _tables()}
        for command in commands:
            call_command(command, stdout=StringIO(), stderr=StringIO())
        written: Rows = []
        for model, had in before.items():
            columns = _columns(model)
            rows = [
                row
                for row in model._base_manager.order_by("pk").values_list(*columns)
                if row[columns.index(model._meta.pk.attname)] not in had
            ]
            if rows:
                written.append((model, columns, rows))
        _written[commands] = written
        return
    written = _written[commands]
    with transaction.atomic():  # foreign keys are checked at commit, so table order is free
        for model, columns, rows in written:
            objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
            model._base_manager.bulk_create(objects)
        statements = connection.ops.sequence_reset_sql(no_style(), [m for m, _, _ in written])
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        content_stamp_bump()
