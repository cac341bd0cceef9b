"""Markdown to safe HTML, in one place.

Every Markdown field (curriculum bodies, question stems, notes) is rendered here with
python-markdown (tables, fenced code) and then sanitized with nh3 against an allow-list: no
scripts, event handlers, styles, frames, or links other than http, https and mailto.
"""

import re
from typing import Any, ClassVar

import markdown as md
import nh3
from django.db import models

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "kbd", "li", "ol", "p", "pre", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])\s+\S")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def _separate_lists(text: str) -> str:
    """Put a blank line before a list that starts right under a paragraph line.

    Writers (and most Markdown dialects) expect "Text:\n- item" to be a list; python-markdown
    reads it as one paragraph unless a blank line comes first. Fenced code is left alone.
    """
    lines, out = text.splitlines(), []
    in_fence = in_list = False
    for line in lines:
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            if _LIST_ITEM.match(line):
                if not in_list and out and out[-1].strip():
                    out.append("")
                in_list = True
            elif line.strip() and not line.startswith((" ", "\t")):
                in_list = False
        out.append(line)
    return "\n".join(out)


def render_markdown(text: str) -> str:
    """Render Markdown and sanitize the result; the output is safe to mark as safe in templates."""
    if not text:
        return ""
    html = md.markdown(
        _separate_lists(text),
        extensions=["tables", "fenced_code", "sane_lists"],
        output_format="html",
    )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


class RenderedMarkdownMixin(models.Model):
    """A model whose Markdown fields keep their sanitized HTML: each `source: target` pair of
    `markdown_fields` is rendered with `render_markdown` on every save (with `update_fields`,
    a rendered field is saved whenever its source is)."""

    markdown_fields: ClassVar[dict[str, str]] = {}

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        for source, target in self.markdown_fields.items():
            setattr(self, target, render_markdown(getattr(self, source)))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            rendered = {t for s, t in self.markdown_fields.items() if s in update_fields}
            kwargs["update_fields"] = {*update_fields, *rendered}
        super().save(*args, **kwargs)
