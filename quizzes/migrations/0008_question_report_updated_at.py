"""Problem reports get `updated_at` (editors change their state), so the learner's report list
can sync with `updated_since`. Existing reports start from their `created_at`."""

import django.utils.timezone
from django.db import migrations, models


def from_created_at(apps, schema_editor) -> None:
    QuestionReport = apps.get_model("quizzes", "QuestionReport")
    QuestionReport.objects.update(updated_at=models.F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0007_question_editors_reports"),
    ]

    operations = [
        migrations.AddField(
            model_name="questionreport",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True,
                default=django.utils.timezone.now,
                help_text="Last change, by the learner or an editor (for the apps' sync).",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(from_created_at, migrations.RunPython.noop),
    ]
