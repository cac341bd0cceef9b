from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("", views.index, name="index"),
    path("attempts/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/q/<int:position>/", views.question_save, name="question_save"),
    path(
        "attempts/<int:attempt_id>/q/<int:position>/note/",
        views.question_note,
        name="question_note",
    ),
    path(
        "attempts/<int:attempt_id>/q/<int:position>/report/",
        views.question_report,
        name="question_report",
    ),
    path("attempts/<int:attempt_id>/review/", views.attempt_review, name="review"),
    path("attempts/<int:attempt_id>/submit/", views.attempt_submit, name="submit"),
    path("attempts/<int:attempt_id>/results/", views.attempt_results, name="results"),
    path("<str:code>/", views.exam_detail, name="exam"),
    path("<str:code>/start/", views.attempt_start, name="start"),
    path("<str:code>/history/", views.exam_history, name="history"),
    path("<str:code>/exam-date/", views.exam_date, name="exam_date"),
]
