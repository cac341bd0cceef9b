"""The reminder and digest emails: HTML and plain text from Django templates, with a signed
unsubscribe link in the body and RFC 8058 one-click unsubscribe headers."""

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from . import queries
from .models import ReminderDelivery
from .reminders import unsubscribe_token
from .schedule import DAY_NAMES

Kind = ReminderDelivery.Kind


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _subject(delivery: ReminderDelivery, content: queries.ReminderContent) -> str:
    if delivery.kind == Kind.DIGEST:
        return f"Your week: {content.week_hours} h of study, {len(content.topics_done)} topics done"
    if content.next_topics:
        return f"Study reminder: {content.next_topics[0].topic.title}"
    if content.reviews_due:
        return f"Study reminder: {content.reviews_due} review questions are due"
    return "Study reminder: pick up where you left off"


def compose(
    *, delivery: ReminderDelivery, now: datetime, connection: object = None
) -> EmailMultiAlternatives:
    """The email for `delivery`, ready to send."""
    user = delivery.user
    digest = delivery.kind == Kind.DIGEST
    content = queries.reminder_content(user=user, now=now, digest=digest)
    unsubscribe_url = absolute(
        reverse("progress:unsubscribe", args=[unsubscribe_token(user=user, kind=delivery.kind)])
    )
    context = {
        "user": user,
        "content": content,
        "digest": digest,
        "site_url": settings.SITE_URL.rstrip("/"),
        "unsubscribe_url": unsubscribe_url,
        "settings_url": absolute(reverse("progress:reminders")),
        "dashboard_url": absolute(reverse("progress:dashboard")),
        "review_url": absolute(reverse("quizzes:index")),
        "day_names": DAY_NAMES,
    }
    name = "digest" if digest else "reminder"
    message = EmailMultiAlternatives(
        subject=_subject(delivery, content),
        body=render_to_string(f"progress/email/{name}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-Reminder-Key": f"{user.pk}:{delivery.kind}:{delivery.local_date.isoformat()}",
        },
    )
    message.attach_alternative(
        render_to_string(f"progress/email/{name}.html", context), "text/html"
    )
    return message
