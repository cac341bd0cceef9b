import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from portal.services import DEMO_LOGINS

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_demo_users_are_created_once_and_can_log_in(client, capsys):
    call_command("create_demo_users")
    call_command("create_demo_users")
    users = get_user_model().objects.filter(email__in=[login.email for login in DEMO_LOGINS])
    assert users.count() == 2
    assert users.get(email="admin@example.com").is_superuser
    assert not users.get(email="learner@example.com").is_staff
    assert "learner@example.com" in capsys.readouterr().out
    learner = users.get(email="learner@example.com")
    assert learner.check_password(DEMO_LOGINS[0].password)


@override_settings(DEBUG=False)
def test_demo_users_refused_outside_debug():
    with pytest.raises(CommandError):
        call_command("create_demo_users")
    assert not get_user_model().objects.exists()


@override_settings(CONTENT_IMPORT_COMMANDS=["no_such_importer", "showmigrations"])
def test_load_content_runs_installed_importers_in_order(capsys):
    call_command("load_content")
    out = capsys.readouterr().out
    assert "no_such_importer: not installed yet, skipped" in out
    assert "portal" in out  # showmigrations ran and listed the portal app


@pytest.mark.django_db(transaction=True)
def test_the_tests_kept_content_is_what_load_content_writes():
    """tests/content.py imports the real content once per run and puts the same rows back for
    later tests: an import over the rows it put back finds nothing to change."""
    from curriculum.services import curriculum_import
    from quizzes.services import exams_import, questions_import
    from tests.content import real_content

    real_content()  # the first test to ask imports it, and the kept rows are taken then
    call_command("flush", interactive=False, verbosity=0)
    real_content()  # put back
    for importer in (curriculum_import, exams_import, questions_import):
        report = importer(dry_run=True)
        assert report.unchanged, importer.__name__
    assert get_user_model().objects.count() == 0  # content only
