"""No XSS vector survives portal.markdown.render_markdown, alone, as one document, or saved in a
topic (whose HTML is rendered on save). The output is parsed, not searched for substrings: every
element must be on the allow-list, with no event handler, no style and only safe URLs."""

import markdown
import pytest

from portal.markdown import render_markdown
from tests.factories import TopicFactory

from .xss_corpus import DOCUMENT, VECTORS, problems


def test_corpus_has_enough_vectors():
    assert len(VECTORS) >= 40
    assert len(set(VECTORS)) == len(VECTORS)


@pytest.mark.parametrize("vector", VECTORS)
def test_checker_catches_each_vector_without_the_sanitizer(vector):
    """The checker is not blind: each vector is caught as raw HTML or as Markdown rendered
    without the sanitizer (python-markdown alone escapes some, and lets others through)."""
    assert problems(vector) or problems(markdown.markdown(vector))


@pytest.mark.parametrize("vector", VECTORS)
def test_no_vector_survives_rendering(vector):
    assert problems(render_markdown(vector)) == []


def test_no_vector_survives_in_one_document():
    html = render_markdown(DOCUMENT)
    assert problems(html) == []
    assert "<p>" in html  # the document was rendered, not dropped


def test_harmless_markdown_keeps_its_links_and_formatting():
    html = render_markdown("**bold** [docs](https://docs.example/) <mailto:ada@example.com>")
    assert problems(html) == []
    assert "<strong>bold</strong>" in html
    assert 'href="https://docs.example/"' in html
    assert 'href="mailto:ada@example.com"' in html


@pytest.mark.django_db
def test_no_vector_survives_in_a_saved_topic():
    topic = TopicFactory(body=DOCUMENT)
    topic.refresh_from_db()
    assert topic.body_html == render_markdown(DOCUMENT)
    assert problems(topic.body_html) == []
    topic.body = VECTORS[0]
    topic.save(update_fields=["body"])
    topic.refresh_from_db()
    assert problems(topic.body_html) == []
    assert topic.body_html == ""  # a script alone leaves nothing


def test_a_list_right_under_a_paragraph_line_is_a_list():
    html = render_markdown("What to learn:\n- one\n- two that\n  wraps\n- three\n\nAfter.")
    assert html.startswith("<p>What to learn:</p>\n<ul>\n<li>one</li>")
    assert "<li>two that\n  wraps</li>" in html
    assert html.endswith("</ul>\n<p>After.</p>")
    assert "<ol>" in render_markdown("Steps:\n1. first\n2. second")


def test_fenced_code_keeps_its_dashes():
    html = render_markdown("```\nText\n- not a list\n```")
    assert "<li>" not in html
    assert "- not a list" in html
