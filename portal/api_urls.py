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
from progress import api as progress_api
from quizzes.api import (
    AttemptAnswer,
    AttemptDetail,
    AttemptFlag,
    AttemptList,
    AttemptQuestions,
    AttemptSubmit,
    ConfusionList,
    ExamDateDetail,
    ExamDateList,
    ExamViewSet,
    QuestionNoteDetail,
    QuestionNoteList,
    QuestionReportList,
    ReadinessDetail,
    ReviewCardList,
    ReviewQueueView,
    ReviewRate,
)

from . import api_views

app_name = "api"
LIST = {"get": "list"}
DETAIL = {"get": "retrieve"}

urlpatterns = [
    path("me/", api_views.Me.as_view(), name="me"),
    path("me/delete/", api_views.MeDelete.as_view(), name="me-delete"),
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
    # Learning from practice (quizzes/api/learning.py): the learner's own review data.
    path("review/", ReviewQueueView.as_view(), name="review-queue"),
    path("review/cards/", ReviewCardList.as_view(), name="review-card-list"),
    path("review/<slug:uid>/rate/", ReviewRate.as_view(), name="review-rate"),
    path("exam-dates/", ExamDateList.as_view(), name="exam-date-list"),
    path("exam-dates/<str:code>/", ExamDateDetail.as_view(), name="exam-date-detail"),
    path("readiness/<str:code>/", ReadinessDetail.as_view(), name="readiness"),
    path("confusions/", ConfusionList.as_view(), name="confusion-list"),
    path("question-notes/", QuestionNoteList.as_view(), name="question-note-list"),
    path("question-notes/<slug:uid>/", QuestionNoteDetail.as_view(), name="question-note"),
    path("question-reports/", QuestionReportList.as_view(), name="question-report-list"),
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
    # The learner's own progress (progress/api/): their rows only; lists sync with updated_since.
    path("me/tracks/", progress_api.MyTracks.as_view(), name="me-tracks"),
    path("me/tracks/<slug:slug>/", progress_api.MyTrack.as_view(), name="me-track"),
    path("me/statuses/", progress_api.MyStatuses.as_view(), name="me-statuses"),
    path("me/statuses/bulk/", progress_api.MyStatusesBulk.as_view(), name="me-statuses-bulk"),
    path("me/resources-done/", progress_api.MyResourcesDone.as_view(), name="me-resources-done"),
    path(
        "me/resources-done/<int:resource_id>/",
        progress_api.MyResourceDone.as_view(),
        name="me-resource-done",
    ),
    path("me/notes/", progress_api.MyNotes.as_view(), name="me-notes"),
    path("me/notes/<slug:slug>/", progress_api.MyNote.as_view(), name="me-note"),
    path("me/study-log/", progress_api.MyStudyLog.as_view(), name="me-study-log"),
    path(
        "me/study-log/<int:entry_id>/",
        progress_api.MyStudyLogEntry.as_view(),
        name="me-study-log-entry",
    ),
    path("me/targets/", progress_api.MyTargets.as_view(), name="me-targets"),
    path("me/reminders/", progress_api.MyReminders.as_view(), name="me-reminders"),
    path("me/reminders/log/", progress_api.MyReminderLog.as_view(), name="me-reminder-log"),
    path("me/targets/<slug:slug>/", progress_api.MyTarget.as_view(), name="me-target"),
    path("me/dashboard/", progress_api.MyDashboard.as_view(), name="me-dashboard"),
    path("me/settings/", progress_api.MySettings.as_view(), name="me-settings"),
    path("me/export/", progress_api.MyExport.as_view(), name="me-export"),
]
