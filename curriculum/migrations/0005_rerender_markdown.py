"""Render every stored Markdown field again: portal.markdown now reads a list that starts right
under a paragraph line as a list (it was one paragraph), and stored HTML follows its source."""

from django.db import migrations

from portal.markdown import render_markdown

FIELDS = {
    "Track": [("body", "body_html")],
    "Phase": [("body", "body_html")],
    "Topic": [("body", "body_html")],
    "Certification": [("body", "body_html")],
    "ShowcaseProject": [("body", "body_html")],
    "Skill": [
        ("definition", "definition_html"),
        ("real_world", "real_world_html"),
        ("demonstrate", "demonstrate_html"),
    ],
    "SkillLevel": [("steps", "steps_html")],
}


def rerender(apps, schema_editor):
    for name, pairs in FIELDS.items():
        model = apps.get_model("curriculum", name)
        rows = list(model.objects.all())
        for row in rows:
            for source, target in pairs:
                setattr(row, target, render_markdown(getattr(row, source)))
        model.objects.bulk_update(rows, [target for _source, target in pairs], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0004_content_editors_group")]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop)]
