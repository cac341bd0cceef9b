"""Quiz engine background work. Each task calls one service and is safe to run twice.

`expire_attempts` runs every minute on the django-celery-beat schedule that migration
0005_expire_attempts_schedule creates: an exam simulation whose deadline passed is finished and
scored with the answers saved before it, even if the learner never comes back.
"""

from celery import shared_task

from . import services


@shared_task(name="quizzes.tasks.expire_attempts")
def expire_attempts() -> int:
    """Finish every open attempt past its deadline; returns how many were finished."""
    return services.attempts_expire()
