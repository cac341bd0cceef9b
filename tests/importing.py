"""Helpers shared by the content importers' tests."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test.utils import CaptureQueriesContext

WRITES = ("INSERT", "UPDATE", "DELETE")


def run_command(command: str, path: Path, *flags: str) -> str:
    """Run an import command on `path` and return what it printed."""
    out = StringIO()
    call_command(command, str(path), *flags, stdout=out, stderr=StringIO())
    return out.getvalue()


def write_queries(queries: CaptureQueriesContext) -> list[str]:
    """The SQL statements in `queries` that change data."""
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(WRITES)
    ]
