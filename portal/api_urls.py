"""Every /api/v1/ route, in one place. Each app contributes its API views here."""

from django.urls import path

from curriculum.api import (
    CertificationViewSet,
    PhaseViewSet,
    ResourceViewSet,
    SkillViewSet,
    TopicViewSet,
    TrackViewSet,
)
from quizzes.api import (
    AttemptAnswer,
    AttemptDetail,
    AttemptFlag,
    AttemptList,
    AttemptQuestions,
    AttemptSubmit,
    ExamViewSet,
)

from . import api_views

app_name = "api"
LIST = {"get": "list"}
DETAIL = {"get": "retrieve"}

urlpatterns = [
    path("me/", api_views.Me.as_view(), name="me"),
    path("exams/", ExamViewSet.as_view({"get": "list"}), name="exam-list"),
    path("exams/<str:code>/", ExamViewSet.as_view({"get": "retrieve"}), name="exam-detail"),
    # The quiz engine (quizzes/api/attempts.py): the learner's own attempts.
    path("attempts/", AttemptList.as_view(), name="attempt-list"),
    path("attempts/<int:attempt_id>/", AttemptDetail.as_view(), name="attempt-detail"),
    path(
        "attempts/<int:attempt_id>/questions/",
        AttemptQuestions.as_view(),
        name="attempt-questions",
    ),
    path(
        "attempts/<int:attempt_id>/questions/<int:position>/answer/",
        AttemptAnswer.as_view(),
        name="attempt-answer",
    ),
    path(
        "attempts/<int:attempt_id>/questions/<int:position>/flag/",
        AttemptFlag.as_view(),
        name="attempt-flag",
    ),
    path("attempts/<int:attempt_id>/submit/", AttemptSubmit.as_view(), name="attempt-submit"),
    # The curriculum (curriculum/api/): read-only; renamed slugs redirect to the new one.
    path("tracks/", TrackViewSet.as_view(LIST), name="track-list"),
    path("tracks/<slug:slug>/", TrackViewSet.as_view(DETAIL), name="track-detail"),
    path("phases/", PhaseViewSet.as_view(LIST), name="phase-list"),
    path("phases/<slug:slug>/", PhaseViewSet.as_view(DETAIL), name="phase-detail"),
    path("topics/", TopicViewSet.as_view(LIST), name="topic-list"),
    path("topics/<slug:slug>/", TopicViewSet.as_view(DETAIL), name="topic-detail"),
    path("resources/", ResourceViewSet.as_view(LIST), name="resource-list"),
    path("resources/<int:pk>/", ResourceViewSet.as_view(DETAIL), name="resource-detail"),
    path("skills/", SkillViewSet.as_view(LIST), name="skill-list"),
    path("skills/<slug:slug>/", SkillViewSet.as_view(DETAIL), name="skill-detail"),
    path("certifications/", CertificationViewSet.as_view(LIST), name="certification-list"),
    path(
        "certifications/<slug:slug>/",
        CertificationViewSet.as_view(DETAIL),
        name="certification-detail",
    ),
]
