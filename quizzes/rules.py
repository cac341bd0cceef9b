"""The rules every question obeys, in one place: the bank files' reader, the admin editor and the
GIFT import all ask these functions (docs/questions-format.md)."""

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from .models import QuestionKind

# How many choices each kind may have, and how many of them may be correct.
CHOICE_COUNTS = {
    QuestionKind.SINGLE: (3, 6),
    QuestionKind.MULTIPLE: (4, 8),
    QuestionKind.YESNO: (2, 5),
}

# The vendors' official documentation, the only places a question may cite.
OFFICIAL_DOC_DOMAINS = {
    "Microsoft": ("learn.microsoft.com",),
    "AWS": ("docs.aws.amazon.com", "aws.amazon.com"),
}

_CATCH_ALL = re.compile(
    r"\b(all|none|both|neither)\s+(of\s+)?(the\s+)?(above|previous|preceding|options|answers)\b"
    r"|\ball\s+(of\s+)?these\b|\bnone\s+of\s+these\b",
    re.IGNORECASE,
)


def answer_problems(kind: str, correct: Sequence[bool], choose: int | None) -> list[str]:
    """What is wrong with a question's answer set, as sentences (empty when it is fine).

    single: 3-6 choices, exactly one correct. multiple: 4-8 choices, at least two correct and two
    wrong, and `choose` equal to the number correct. yesno: 2-5 statements, each answered by its
    own `correct`.
    """
    if kind not in CHOICE_COUNTS:
        return [f"unknown kind {kind!r}"]
    problems = []
    low, high = CHOICE_COUNTS[kind]
    label = "statements" if kind == QuestionKind.YESNO else "choices"
    if not low <= len(correct) <= high:
        problems.append(f"a {kind} question has {low} to {high} {label}, not {len(correct)}")
    right = sum(1 for flag in correct if flag)
    if kind == QuestionKind.SINGLE and right != 1:
        problems.append(f"a single choice question has exactly one correct choice, not {right}")
    if kind == QuestionKind.MULTIPLE:
        if right < 2 or len(correct) - right < 2:
            problems.append(
                "a multiple response question has at least two correct and two wrong choices "
                f"(it has {right} correct of {len(correct)})"
            )
        if choose is None:
            problems.append(
                f"a multiple response question says how many to choose ('choose': {right})"
            )
        elif choose != right:
            problems.append(
                f"'choose' must equal the number of correct choices ({right}), not {choose}"
            )
    elif choose is not None:
        problems.append("only multiple response questions say how many to choose")
    return problems


def is_catch_all(text: str) -> bool:
    """ "All of the above", "None of the above" and their variants: banned, as choices are
    shuffled and such options test exam technique rather than knowledge."""
    return bool(_CATCH_ALL.search(text))


def reference_problem(url: str, vendors: Sequence[str]) -> str | None:
    """Why `url` is not an official documentation page of one of `vendors` (None when it is)."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return f"reference {url!r} must be an https URL"
    host = parts.hostname.lower()
    allowed = [domain for vendor in vendors for domain in OFFICIAL_DOC_DOMAINS.get(vendor, ())]
    if not allowed:
        return None  # a vendor without a list: nothing to hold it to
    if any(host == domain or host.endswith("." + domain) for domain in allowed):
        return None
    return (
        f"reference {url!r} is not on the official documentation of {', '.join(vendors)} "
        f"({', '.join(allowed)})"
    )
