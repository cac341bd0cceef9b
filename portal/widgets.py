"""Form widgets shared by the apps' admin and forms."""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.safestring import mark_safe

from .markdown import render_markdown


class MarkdownPreviewWidget(forms.Textarea):
    """A Markdown textarea with a preview below it that follows the text as it is typed.

    The preview is what the page will show: static/js/markdown-preview.js posts the text to the
    staff-only `markdown_preview` endpoint, which renders and sanitizes it with
    portal.markdown.render_markdown. The panel starts hidden and filled with the saved text's
    preview, so without JavaScript the form shows only the textarea.
    """

    template_name = "portal/widgets/markdown_preview.html"

    class Media:
        css = {"all": ["css/markdown-preview.css"]}
        js = ["js/markdown-preview.js"]

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"rows": 12, "class": "vLargeTextField", **(attrs or {})})

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["preview_url"] = reverse("markdown_preview")
        # render_markdown's output is sanitized: safe to insert as HTML.
        context["widget"]["preview_html"] = mark_safe(render_markdown(str(value or "")))
        return context
