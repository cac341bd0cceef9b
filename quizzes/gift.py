"""Read Moodle's GIFT format (https://docs.moodle.org/en/GIFT_format): its multiple-choice and
multiple-response subset, so admins can import the banks they already have.

`parse_gift()` turns the text of a GIFT file into `GiftQuestion`s, or raises `ContentInvalid`
with every problem found, each with the source name and line; it touches no database.

What is read, and how:

- Questions are separated by blank lines; lines starting with `//` are comments and
  `$CATEGORY:` lines are ignored. Each line is stripped, as Moodle does, so indentation means
  nothing (and cannot make a Markdown code block).
- `::title::` is optional. The question text before the answer block is the stem.
- `{ =right ~wrong ~wrong }` is a single-choice question: exactly one `=` answer.
- `{ ~%50%right ~%50%right ~%-100%wrong ~wrong }` is a multiple-response question: the answers
  with a positive weight are the correct ones and `choose` is their number. Their weights must
  add up to 100%, give or take the rounding of each weight to the decimals written (33.33333 x 3
  and 33 x 3 pass, 30 + 30 does not). The portal scores multiple response all or nothing, so the
  weights say only which answers are right: Moodle's partial credit and negative marking are not
  kept. Zero and negative weights mark wrong answers, in either kind; a positive weight next to
  an `=` answer (partial credit in a single-choice question) is an error.
- `#feedback` after an answer is that choice's feedback; `####feedback` at the end of the block is
  the general feedback, imported as the explanation.
- Escapes: `\\~ \\= \\# \\{ \\} \\:` give the character itself, `\\\\` a backslash and `\\n` a
  line break (Markdown needs two for a new paragraph). Any other backslash is kept as written.
- Format prefixes `[markdown]`, `[plain]`, `[moodle]` and `[html]` are removed and the text kept
  as written: stems, choices and feedback are Markdown in the portal, which passes HTML through
  and sanitizes everything on render, so `[html]` text keeps its (allowed) markup. A bracketed
  word that is not a format (`[AWS] ...`) is ordinary text.
- The portal's rules for choices (quizzes/rules.py) apply: 3-6 choices for single choice; 4-8 for
  multiple response, at least two right and two wrong; no "all/none of the above"; no choice
  written twice.

Other GIFT kinds are errors naming the kind: true/false, short answer, matching, numerical,
essay, missing word (text after the answer block) and description (no answer block).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from curriculum.content import ContentError, ContentInvalid

from .models import QuestionKind
from .rules import answer_problems, is_catch_all

# Escaped characters are swapped for private-use stand-ins while the syntax is read, so that a
# plain str.find() sees only the unescaped, meaningful ones.
_STAND_IN_BASE = 0xF0000
_LITERAL_ESCAPES = "~=#{}:\\"  # \~ \= \# \{ \} \: \\ each stand for the character itself


def _stand_in(character: str) -> str:
    return chr(_STAND_IN_BASE + ord(character))


_RESTORE = {ord(_stand_in(character)): character for character in _LITERAL_ESCAPES} | {
    ord(_stand_in("n")): "\n"  # \n is a line break
}
_ESCAPE_RE = re.compile(r"\\([~=#{}:\\n])")
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_FORMAT_RE = re.compile(r"\[(html|markdown|plain|moodle)\]", re.IGNORECASE)
_WEIGHT_RE = re.compile(r"%(-?\d+(?:\.\d+)?)%")
# What was meant as a weight, to quote it in an error: %up to the next%, or the digits after %.
_WRITTEN_WEIGHT_RE = re.compile(r"%[^%\s]{0,20}%|%[-.\d]*")
_TRUE_FALSE = {"T", "TRUE", "F", "FALSE"}


@dataclass(frozen=True)
class GiftChoice:
    text: str
    correct: bool
    feedback: str = ""


@dataclass(frozen=True)
class GiftQuestion:
    title: str
    stem: str
    kind: str  # "single" or "multiple"
    choose: int | None  # multiple only: how many choices are correct
    choices: list[GiftChoice]
    explanation: str
    line: int  # where the question starts (its first line that is not a comment)


def parse_gift(text: str, *, source: str = "<gift>") -> list[GiftQuestion]:
    """Read GIFT text (see the module docstring for the subset); raise ContentInvalid with every
    error found, each naming `source` and a 1-based line. A text without questions gives []."""
    errors: list[ContentError] = []
    questions = []
    for block in _blocks(text.removeprefix("\ufeff")):
        question = _QuestionReader(block, source, errors).read()
        if question:
            questions.append(question)
    if errors:
        raise ContentInvalid(errors)
    return questions


# --- Blocks: one question's lines ------------------------------------------------------------


@dataclass
class _Block:
    """One question's text with escapes swapped for stand-ins, and the file line of each
    character."""

    text: str
    lines: list[int]

    def line_at(self, index: int) -> int:
        return self.lines[max(0, min(index, len(self.lines) - 1))]


def _blocks(text: str) -> Iterator[_Block]:
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(_LINE_BREAK_RE.split(text), start=1):
        stripped = line.strip()
        if not stripped:
            if lines:
                yield _block(lines)
            lines = []
        elif not stripped.startswith(("//", "$CATEGORY:")):
            lines.append((number, stripped))
    if lines:
        yield _block(lines)


def _block(lines: list[tuple[int, str]]) -> _Block:
    parts, numbers = [], []
    for number, line in lines:
        hidden = _ESCAPE_RE.sub(lambda match: _stand_in(match[1]), line) + "\n"
        parts.append(hidden)
        numbers.extend([number] * len(hidden))
    return _Block("".join(parts)[:-1], numbers[:-1])


def _clean(text: str) -> str:
    """A stem, choice or feedback as Markdown: format prefix removed, escapes restored."""
    text = text.strip()
    prefix = _FORMAT_RE.match(text)
    if prefix:
        text = text[prefix.end() :]
    return text.translate(_RESTORE).strip()


# --- One question ----------------------------------------------------------------------------


@dataclass
class _Answer:
    marker: str  # "=" or "~"
    weight: Decimal | None
    text: str
    feedback: str
    at: int  # the index of its marker in the block


class _QuestionReader:
    def __init__(self, block: _Block, source: str, errors: list[ContentError]) -> None:
        self.block = block
        self.text = block.text
        self.source = source
        self.errors = errors
        self.weights_unreadable = False  # a weight was malformed: which answers are right is moot

    def error(self, index: int, reason: str) -> None:
        self.errors.append(ContentError(self.source, self.block.line_at(index), reason))

    def read(self) -> GiftQuestion | None:
        errors_before = len(self.errors)
        title, start = self.title()
        braces = self.answer_block(start) if start is not None else None
        if braces is None:
            return None
        opening, closing = braces
        stem = _clean(self.text[start:opening])
        if not stem:
            self.error(opening, "an answer block with no question text before it")
        feedback_at = self.text.rfind("####", opening, closing)
        answers_end = closing if feedback_at == -1 else feedback_at
        if not self.supported(opening, answers_end, closing):
            return None
        answers = self.answers(opening + 1, answers_end)
        kind, correct = ("", []) if self.weights_unreadable else self.kind(answers, opening)
        if len(self.errors) > errors_before:
            return None
        return GiftQuestion(
            title=title,
            stem=stem,
            kind=kind,
            choose=sum(correct) if kind == QuestionKind.MULTIPLE else None,
            choices=[
                GiftChoice(answer.text, right, answer.feedback)
                for answer, right in zip(answers, correct, strict=True)
            ],
            explanation="" if feedback_at == -1 else _clean(self.text[feedback_at + 4 : closing]),
            line=self.block.line_at(0),
        )

    def title(self) -> tuple[str, int | None]:
        """The `::title::` and where the question text starts (None: the title is unclosed)."""
        if not self.text.startswith("::"):
            return "", 0
        end = self.text.find("::", 2)
        if end == -1:
            self.error(0, "unclosed '::' title: a title is written ::like this::")
            return "", None
        return _clean(self.text[2:end]), end + 2

    def answer_block(self, start: int) -> tuple[int, int] | None:
        """Where the `{` and `}` of the answer block are, or None after reporting why not."""
        opening = self.text.find("{", start)
        closing = self.text.find("}", start)
        if opening == -1 and closing == -1:
            self.error(0, "description questions (text with no answer block) are not supported")
        elif closing != -1 and (opening == -1 or closing < opening):
            self.error(closing, "stray '}' with no '{' before it (write \\} for a brace in text)")
        elif closing == -1:
            self.error(opening, "unclosed '{': no '}' before the blank line that ends the question")
        elif (nested := self.text.find("{", opening + 1, closing)) != -1:
            self.error(
                opening,
                f"unclosed '{{': another '{{' on line {self.block.line_at(nested)} comes before "
                "its '}' (write \\{ for a brace in text)",
            )
        elif self.stray_after(closing):
            return None
        else:
            return opening, closing
        return None

    def stray_after(self, closing: int) -> bool:
        stray = self.text.find("}", closing + 1)
        second = self.text.find("{", closing + 1)
        if stray != -1 and (second == -1 or stray < second):
            self.error(stray, "stray '}' with no '{' before it (write \\} for a brace in text)")
            return True
        return False

    def supported(self, opening: int, answers_end: int, closing: int) -> bool:
        """Report a GIFT question kind outside the subset; True when the kind is supported."""
        body = self.text[opening + 1 : answers_end].strip()
        unsupported = _unsupported_kind(body)
        if unsupported:
            self.error(opening, f"{unsupported} questions are not supported")
            return False
        after = self.text[closing + 1 :]
        if after.strip():
            self.error(
                closing + 1 + len(after) - len(after.lstrip()),
                "missing-word questions (text after the answer block) are not supported: end "
                "the question with its answer block",
            )
            return False
        return True

    def answers(self, start: int, end: int) -> list[_Answer]:
        markers = [index for index in range(start, end) if self.text[index] in "=~"]
        if self.text[start : markers[0]].strip():
            self.error(start, "text before the first answer: start each answer with '=' or '~'")
        answers = []
        for index, marker in enumerate(markers):
            following = markers[index + 1] if index + 1 < len(markers) else end
            answers.append(self.answer(marker, following))
        return answers

    def answer(self, marker: int, end: int) -> _Answer:
        body = self.text[marker + 1 : end].lstrip()
        weight = None
        if body.startswith("%"):
            weight, body = self.weight(marker, body)
        text, _, feedback = body.partition("#")
        answer = _Answer(self.text[marker], weight, _clean(text), _clean(feedback), marker)
        self.check_answer(marker, answer)
        return answer

    def weight(self, marker: int, body: str) -> tuple[Decimal | None, str]:
        match = _WEIGHT_RE.match(body)
        if not match:
            written = _WRITTEN_WEIGHT_RE.match(body)[0].translate(_RESTORE)
            self.error(marker, f"bad weight {written!r}: write a percentage like ~%50% or ~%-100%")
            self.weights_unreadable = True
            return None, body
        weight = Decimal(match[1])
        if not -100 <= weight <= 100:
            self.error(marker, f"weight {match[1]}% is out of range: it must be -100% to 100%")
            self.weights_unreadable = True
        if self.text[marker] == "=":
            self.error(
                marker,
                "a weight after '=': '=' marks the one right answer of a single-choice question; "
                "for multiple response weight every answer after '~' (~%50%right)",
            )
        return weight, body[match.end() :]

    def check_answer(self, marker: int, answer: _Answer) -> None:
        if not answer.text:
            self.error(marker, f"empty answer text after '{answer.marker}'")
        elif is_catch_all(answer.text):
            self.error(
                marker, "'all/none of the above' choices are not allowed (choices are shuffled)"
            )

    def kind(self, answers: list[_Answer], opening: int) -> tuple[str, list[bool]]:
        """The question's kind and which answers are right; errors are reported here."""
        rights = [answer for answer in answers if answer.marker == "="]
        weighted = [answer for answer in answers if answer.marker == "~" and _positive(answer)]
        if rights and weighted:
            self.error(
                weighted[0].at,
                "'=' mixed with a positive weight: use one '=' answer for single choice, or only "
                "'~%n%' weights for multiple response (partial credit is not supported)",
            )
        elif len(rights) > 1:
            first = self.block.line_at(rights[0].at)
            self.error(
                rights[1].at,
                f"a second '=' answer (the first is on line {first}): a single-choice question "
                "has one; for several right answers use weights like ~%50%",
            )
        elif not rights and not weighted:
            self.error(
                opening,
                "no correct answer: mark it with '=', or the right answers of a multiple-response "
                "question with positive weights like ~%50%",
            )
        elif len(weighted) == 1:
            self.error(
                weighted[0].at,
                "only one answer has a positive weight: write it as '=answer' for single choice, "
                "or weight two or more right answers for multiple response",
            )
        else:
            kind = QuestionKind.SINGLE if rights else QuestionKind.MULTIPLE
            correct = [answer in rights or _positive(answer) for answer in answers]
            self.check_choices(kind, answers, correct, opening)
            return kind.value, correct
        return "", []

    def check_choices(
        self, kind: QuestionKind, answers: list[_Answer], correct: list[bool], opening: int
    ) -> None:
        if kind == QuestionKind.MULTIPLE:
            self.check_weights([answer.weight for answer in answers if _positive(answer)], opening)
        choose = sum(correct) if kind == QuestionKind.MULTIPLE else None
        for problem in answer_problems(kind, correct, choose):
            self.error(opening, problem)
        seen = set()
        for answer in answers:
            if answer.text and answer.text in seen:
                self.error(answer.at, "the same choice text appears twice")
            seen.add(answer.text)

    def check_weights(self, weights: list[Decimal], opening: int) -> None:
        """The right answers' weights add up to 100%, within the rounding of each weight."""
        total = sum(weights, Decimal(0))
        tolerance = sum(
            (Decimal("0.5").scaleb(weight.as_tuple().exponent) for weight in weights), Decimal(0)
        )
        if abs(total - 100) > tolerance:
            self.error(
                opening,
                f"the positive weights add up to {total.normalize():f}%, not 100% (scoring is "
                "all or nothing, but the weights must still describe a full mark)",
            )


def _positive(answer: _Answer) -> bool:
    return answer.weight is not None and answer.weight > 0


def _unsupported_kind(body: str) -> str | None:
    """The name of the GIFT kind an answer block's text makes, if outside the subset."""
    if not body:
        return "essay ('{}', an empty answer block)"
    if body.startswith("#"):
        return "numerical ('{#...}')"
    if "~" in body:
        return None
    if "=" in body and "->" in body:
        return "matching ('=item -> match')"
    if body.partition("#")[0].strip().upper() in _TRUE_FALSE:
        return "true/false ('{T}', '{F}')"
    return "short-answer (an answer block with no '~' answer)"
