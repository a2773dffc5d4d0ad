from django.urls import path

from charter import views

app_name = "charter"
urlpatterns = [
    path("charter/", views.charter, name="charter"),
    path("charter/versions/", views.versions, name="versions"),
    path("charter/versions/<int:number>/", views.version, name="version"),
    path("charter/consultation/<int:number>/", views.consultation, name="consultation"),
    path(
        "charter/consultation/<int:number>/promises/<int:promise_id>/comment/",
        views.comment,
        name="comment",
    ),
    path("customer-voice/", views.voice_reports, name="voice_reports"),
    path("customer-voice/<int:year>/", views.voice_report, name="voice_report"),
    path(
        "customer-voice/<int:year>/committee/",
        views.committee_voice_report,
        name="committee_voice_report",
    ),
]
