"""The plain forms behind the practice pages: starting an exam simulation, a practice session or a
spaced review, answering one question of an attempt, the learner's exam date, and a private note
or a problem report on a question. They work without JavaScript (static/js/attempt.js
sends the same answers to the JSON API instead). They parse and shape input only: which answers,
domains and counts are acceptable is decided by `quizzes.services.attempts`, whose refusals the
views put back on these forms."""

from datetime import date
from typing import Any

from django import forms

from .models import Exam, QuestionKind, QuestionReport
from .services import PRACTICE_MAX

STATEMENT_PREFIX = "statement-"
YES_NO = {"yes": True, "no": False}


class TextListField(forms.Field):
    """Every value of a repeated form field (ticked checkboxes), as stripped strings."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, max_items: int, max_length: int, **kwargs: Any) -> None:
        self.max_items, self.max_length = max_items, max_length
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> list[str]:
        values = [str(item).strip() for item in (value or [])]
        if len(values) > self.max_items or any(len(item) > self.max_length for item in values):
            raise forms.ValidationError("Choose from the listed options.")
        return values


class ExamStartForm(forms.Form):
    """A timed exam simulation: the mini exam, or the full one where the exam offers it."""

    length = forms.ChoiceField(
        choices=[("mini", "Mini exam"), ("full", "Full simulation")],
        initial="mini",
        required=False,
        widget=forms.RadioSelect,
        label="Length",
    )
    extended_time = forms.BooleanField(
        required=False,
        label="Extended time: 30 more minutes",
        help_text="For learners who would ask the exam provider for an accommodation.",
    )

    def __init__(self, *args: Any, exam: Exam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mini, full = exam.mini_exam(), exam.full_exam()
        self.fields["length"].choices = [
            ("mini", f"Mini exam: {mini.question_count} questions in {mini.duration_minutes} min"),
            ("full", f"Full simulation: {full.question_count} questions in "
                     f"{full.duration_minutes} min"),
        ]  # fmt: skip

    def start_options(self) -> dict[str, Any]:
        return {
            "full_length": self.cleaned_data["length"] == "full",
            "extended_time": self.cleaned_data["extended_time"],
        }


class PracticeStartForm(forms.Form):
    """Untimed practice: some questions from the chosen domains (none ticked: every domain)."""

    domains = TextListField(max_items=20, max_length=10, label="Domains")
    count = forms.IntegerField(
        label="Questions",
        initial=10,
        widget=forms.NumberInput(attrs={"min": 1, "max": PRACTICE_MAX, "inputmode": "numeric"}),
        help_text=f"1 to {PRACTICE_MAX}.",
    )

    def start_options(self) -> dict[str, Any]:
        return {"domains": self.cleaned_data["domains"], "count": self.cleaned_data["count"]}

    def ticked(self) -> set[str]:
        """The domain codes to show ticked: what was posted, else none."""
        return set(self.data.getlist("domains")) if self.is_bound else set()


class ReviewStartForm(forms.Form):
    """Spaced review: the exam's questions due today, the most overdue first (at most
    PRACTICE_MAX a session). It has no fields; it carries the refusal when nothing is due."""

    def start_options(self) -> dict[str, Any]:
        return {"count": PRACTICE_MAX}


class AnswerForm(forms.Form):
    """One question of an attempt as the page posts it: the chosen choice ids (`choices`, radio
    buttons or checkboxes) or a Yes/No per statement (`statement-<id>`), the flag, and which
    button was pressed (`go`)."""

    GO = ("save", "check", "clear", "previous", "next", "review")

    choices = TextListField(max_items=10, max_length=12)
    flagged = forms.BooleanField(required=False, label="Flag for review")
    unsure = forms.BooleanField(required=False, label="I'm not sure of this answer")
    go = forms.ChoiceField(choices=[(name, name) for name in GO], required=False)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        self.kind = kind
        super().__init__(*args, **kwargs)

    def clean_choices(self) -> list[int]:
        try:
            return [int(value) for value in self.cleaned_data["choices"]]
        except ValueError:
            raise forms.ValidationError("Choose from the listed choices.") from None

    def clean_go(self) -> str:
        return self.cleaned_data["go"] or "save"

    def _statements(self) -> dict[str, bool]:
        statements = {}
        for name in self.data:
            if not name.startswith(STATEMENT_PREFIX):
                continue
            value = self.data.get(name)
            if value not in YES_NO:
                raise forms.ValidationError("Answer each statement Yes or No.")
            statements[name.removeprefix(STATEMENT_PREFIX)] = YES_NO[value]
        return statements

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        statements = self._statements()
        if self.kind == QuestionKind.YESNO:
            if cleaned.get("choices"):
                raise forms.ValidationError("Answer each statement Yes or No.")
            cleaned["answer"] = {"statements": statements}
        elif statements:
            raise forms.ValidationError("Choose from the listed choices.")
        elif "choices" in cleaned:
            cleaned["answer"] = {"choices": sorted(cleaned["choices"])}
        return cleaned

    @property
    def answer(self) -> dict[str, Any]:
        """The answer in the API's shape, {"choices": [ids]} or {"statements": {"<id>": bool}}."""
        return self.cleaned_data["answer"]

    def cleared(self) -> dict[str, Any]:
        """The empty answer of this kind: saving it clears the question's answer."""
        return {"statements": {}} if self.kind == QuestionKind.YESNO else {"choices": []}

    def posted_answer(self) -> dict[str, Any] | None:
        """What was posted (once validated), to show the learner's selection again next to an
        error."""
        return getattr(self, "cleaned_data", {}).get("answer")


# --- Learning from practice ----------------------------------------------------------------------


class ExamDateForm(forms.Form):
    """The day the learner booked the exam ("save"), or none ("clear"). Whether the day may be
    booked (not in the past) is the service's rule."""

    day = forms.DateField(
        label="I sit this exam on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Reviews are then scheduled before that day, never after it.",
    )
    go = forms.ChoiceField(choices=[("save", "save"), ("clear", "clear")], required=False)

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if today is not None:
            self.fields["day"].widget.attrs["min"] = today.isoformat()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["go"] = cleaned.get("go") or "save"
        if cleaned["go"] == "save" and "day" in cleaned and cleaned["day"] is None:
            self.add_error("day", "Enter the day you sit the exam.")
        return cleaned

    def chosen_day(self) -> date | None:
        """The day to record; None forgets the booked one."""
        return None if self.cleaned_data["go"] == "clear" else self.cleaned_data["day"]


class NoteForm(forms.Form):
    """The learner's private note on a question ("save"; an empty note, or "delete", removes
    it)."""

    body = forms.CharField(
        label="Note to yourself",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Private: only you see it, again when this question comes back. Markdown works.",
    )
    go = forms.ChoiceField(choices=[("save", "save"), ("delete", "delete")], required=False)

    def body_to_save(self) -> str:
        return "" if self.cleaned_data["go"] == "delete" else self.cleaned_data["body"]


class ReportForm(forms.Form):
    """ "Report a problem with this question": a reason and, optionally, what is wrong."""

    reason = forms.ChoiceField(label="What is wrong?", choices=QuestionReport.Reason.choices)
    text = forms.CharField(
        label="Details (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
