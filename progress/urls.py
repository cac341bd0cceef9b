from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("study-log/", views.study_log, name="study-log"),
    path("study-log/<int:entry_id>/edit/", views.study_log_edit, name="study-log-edit"),
    path("study-log/<int:entry_id>/delete/", views.study_log_delete, name="study-log-delete"),
    path("progress/settings/", views.settings_page, name="settings"),
    path("progress/settings/weekly-goal/", views.weekly_goal, name="weekly-goal"),
    path("progress/settings/public-page/", views.public_page_settings, name="public-page"),
    path("progress/reminders/", views.reminder_settings, name="reminders"),
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("progress/export/", views.export, name="export"),
    path("progress/export/progress.json", views.export_json, name="export-json"),
    path("progress/export/progress-csv.zip", views.export_csv, name="export-csv"),
    path("progress/tracks/<slug:track>/follow/", views.track_follow, name="track-follow"),
    path("progress/tracks/<slug:track>/unfollow/", views.track_unfollow, name="track-unfollow"),
    path("progress/tracks/<slug:track>/target/", views.target_date, name="target-date"),
    path("progress/exam-date/", views.exam_date, name="exam-date"),
    path("progress/topics/<slug:topic>/status/", views.topic_status, name="topic-status"),
    path("progress/topics/<slug:topic>/note/", views.note_save, name="note-save"),
    path("progress/topics/<slug:topic>/note/delete/", views.note_delete, name="note-delete"),
    path("progress/resources/<int:resource>/done/", views.resource_done, name="resource-done"),
    path("u/<slug:handle>/", views.public_profile, name="public"),
]
