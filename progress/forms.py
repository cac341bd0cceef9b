"""The plain forms behind every progress control (they work without JavaScript; static/js/
progress.js sends the same fields to the JSON API). They validate and shape input only: the
rules live in `progress.services`."""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django import forms

from curriculum.models import Topic
from portal.models import validate_handle
from quizzes import analytics as quizzes_analytics
from quizzes import queries as quizzes_queries

from .models import MINUTES_MAX, ReminderPreference, StudyLogEntry, TopicNote, TopicStatus
from .schedule import DAY_NAMES

NOTE_MAX = TopicNote._meta.get_field("body").max_length
LOG_NOTE_MAX = StudyLogEntry._meta.get_field("note").max_length
WEEK_MINUTES_MAX = 7 * MINUTES_MAX


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=TopicStatus.Status.choices, label="Status")


class ResourceDoneForm(forms.Form):
    done = forms.BooleanField(required=False, label="Done")


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Your note",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown. Only you can see it.",
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Write something, or delete the note.")
        return body


class TargetDateForm(forms.Form):
    target_date = forms.DateField(
        label="Target date",
        required=False,
        widget=DateInput(),
        help_text="When you want to finish this path. Leave empty to clear it.",
    )

    def __init__(self, *args: object, today: date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_target_date(self) -> date | None:
        target = self.cleaned_data["target_date"]
        if target is not None and target <= self.today:
            raise forms.ValidationError("Choose a day after today.")
        return target


class WeeklyGoalForm(forms.Form):
    hours = forms.DecimalField(
        label="Weekly goal (hours)",
        min_value=Decimal(0),
        max_value=Decimal(WEEK_MINUTES_MAX) / 60,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
        help_text="How many hours you mean to study each week (Monday to Sunday).",
    )

    @property
    def minutes(self) -> int:
        return round(self.cleaned_data["hours"] * 60)


class PublicProfileForm(forms.Form):
    enabled = forms.BooleanField(
        required=False,
        label="Show my public progress page",
        help_text="It shows only your display name or handle, the paths you follow and their "
        "progress bars: never your email, notes or study log.",
    )
    handle = forms.CharField(
        required=False,
        max_length=30,
        label="Handle",
        validators=[validate_handle],
        help_text="The address of the page: /u/your-handle/. "
        "3-30 lowercase letters, digits or hyphens.",
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("enabled") and not cleaned.get("handle") and "handle" not in self.errors:
            self.add_error("handle", "Choose a handle for your public page.")
        return cleaned


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, topic: Topic) -> str:
        return f"{topic.phase.track.title}: {topic.title}"


class StudyLogForm(forms.Form):
    """A study-log entry: a day (the learner's own calendar), minutes, and optionally a topic
    (offered: the followed tracks' topics) and a short note."""

    day = forms.DateField(label="Day", widget=DateInput())
    minutes = forms.IntegerField(
        label="Minutes",
        min_value=1,
        max_value=MINUTES_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    topic = TopicChoiceField(
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        label="Topic",
        empty_label="(none)",
    )
    note = forms.CharField(
        label="Note", max_length=LOG_NOTE_MAX, required=False, help_text="Optional."
    )

    def __init__(
        self, *args: object, today: date, topics: Iterable[Topic] = (), **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        topic_field = self.fields["topic"]
        # The choices offered are the topics given, already loaded (no query to render them);
        # any topic is accepted back, and `progress.services` decides which may be logged.
        topic_field.choices = [("", "(none)")] + [
            (topic.slug, topic_field.label_from_instance(topic)) for topic in topics
        ]
        self.fields["day"].widget.attrs["max"] = today.isoformat()

    def clean_day(self) -> date:
        day = self.cleaned_data["day"]
        if day > self.today:
            raise forms.ValidationError("That day has not come yet.")
        if day < self.today - timedelta(days=3650):
            raise forms.ValidationError("That day is too far back.")
        return day


class ExamDateForm(forms.Form):
    """The day the learner booked an exam (empty forgets it); `quizzes.services.exam_date_set`
    decides whether the day is allowed."""

    exam = forms.ChoiceField(label="Exam")
    day = forms.DateField(
        label="Exam day",
        required=False,
        widget=DateInput(),
        help_text="The day you booked. Leave it empty to forget the date.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exam"].choices = [
            (exam.code, f"{exam.code}: {exam.name}") for exam in quizzes_analytics.exam_choices()
        ]

    def clean_exam(self) -> object:
        exam = quizzes_queries.exam_by_code(self.cleaned_data["exam"])
        if exam is None:
            raise forms.ValidationError("Choose an exam.")
        return exam


WEEKDAY_CHOICES = [(str(number), name) for number, name in enumerate(DAY_NAMES)]


class ReminderForm(forms.Form):
    """Reminder preferences; every field maps to `reminders.reminder_preferences_set`."""

    enabled = forms.BooleanField(required=False, label="Send me study reminders by email")
    cadence = forms.ChoiceField(choices=ReminderPreference.Cadence.choices, label="How often")
    days = forms.TypedMultipleChoiceField(
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Chosen days",
        help_text="Used when “How often” is “Chosen days”.",
    )
    time_of_day = forms.TimeField(
        label="Time of day",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="In your timezone.",
    )
    skip_if_studied = forms.BooleanField(
        required=False, label="Skip the reminder on days I have already studied"
    )
    digest_enabled = forms.BooleanField(required=False, label="Send me a weekly digest")
    digest_day = forms.TypedChoiceField(
        choices=WEEKDAY_CHOICES,
        coerce=int,
        label="Digest day",
        help_text="At the same time of day.",
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("cadence") == ReminderPreference.Cadence.CUSTOM and not cleaned.get("days"):
            self.add_error("days", "Choose at least one day, or another cadence.")
        return cleaned
