"""Every /api/v1/ route, in one place. Each app contributes its API views here."""

from django.urls import path

from quizzes.api import ExamViewSet

from . import api_views

app_name = "api"

urlpatterns = [
    path("me/", api_views.Me.as_view(), name="me"),
    path("exams/", ExamViewSet.as_view({"get": "list"}), name="exam-list"),
    path("exams/<str:code>/", ExamViewSet.as_view({"get": "retrieve"}), name="exam-detail"),
]
