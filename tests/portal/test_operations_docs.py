"""docs/operations.md lists every environment variable portal/settings.py reads."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV_READERS = {"str", "bool", "int", "list", "db_url", "email_url"}


def _is_env_read(call: ast.Call) -> bool:
    function = call.func
    if isinstance(function, ast.Name):
        return function.id == "secret"
    return (
        isinstance(function, ast.Attribute)
        and function.attr in ENV_READERS
        and isinstance(function.value, ast.Name)
        and function.value.id == "env"
    )


def settings_environment_variables() -> set[str]:
    """Names passed as a literal to env.<type>("NAME") or secret("NAME") in portal/settings.py."""
    tree = ast.parse((ROOT / "portal" / "settings.py").read_text())
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and _is_env_read(node)
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


def test_settings_reads_are_found():
    names = settings_environment_variables()
    assert {"SECRET_KEY", "DATABASE_URL", "EMAIL_URL", "DEBUG", "NUM_PROXIES"} <= names


def test_operations_doc_lists_every_settings_variable():
    doc = (ROOT / "docs" / "operations.md").read_text()
    missing = sorted(name for name in settings_environment_variables() if f"`{name}`" not in doc)
    assert missing == [], f"add these to docs/operations.md: {missing}"
