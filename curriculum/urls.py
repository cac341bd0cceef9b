from django.urls import path

from . import views

app_name = "curriculum"

urlpatterns = [
    path("tracks/", views.track_list, name="index"),
    path("tracks/<slug:track>/", views.track_detail, name="track"),
    path("tracks/<slug:track>/<slug:phase>/", views.phase_detail, name="phase"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("certifications/", views.certification_list, name="certification-list"),
    path("certifications/<slug:slug>/", views.certification_detail, name="certification"),
    path("skills/", views.skill_list, name="skill-list"),
    path("skills/<slug:slug>/", views.skill_detail, name="skill"),
    path("search/", views.search, name="search"),
]
