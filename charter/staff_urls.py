from django.urls import path

from charter import staff_views as views

app_name = "charter_staff"
urlpatterns = [
    path("", views.version_list, name="versions"),
    path("new/", views.start_draft, name="start_draft"),
    path("comments/", views.comment_list, name="comments"),
    path("comments/<int:comment_pk>/", views.moderate, name="moderate"),
    path("customer-voice/", views.voice_report_list, name="voice_reports"),
    path("customer-voice/<int:year>/", views.voice_report_edit, name="voice_report"),
    path(
        "customer-voice/<int:year>/publish/",
        views.voice_report_publish,
        name="voice_report_publish",
    ),
    path("<int:pk>/", views.version_detail, name="version"),
    path("<int:pk>/edit/", views.edit_version, name="edit_version"),
    path("<int:pk>/promises/new/", views.add_promise, name="add_promise"),
    path("<int:pk>/promises/<int:promise_pk>/", views.edit_promise, name="edit_promise"),
    path("<int:pk>/promises/<int:promise_pk>/remove/", views.remove_promise, name="remove_promise"),
    path("<int:pk>/ask/new/", views.add_commitment, name="add_commitment"),
    path("<int:pk>/ask/<int:commitment_pk>/", views.edit_commitment, name="edit_commitment"),
    path(
        "<int:pk>/ask/<int:commitment_pk>/remove/",
        views.remove_commitment,
        name="remove_commitment",
    ),
    path("<int:pk>/consultation/", views.consult, name="consult"),
    path("<int:pk>/consultation/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/comments/", views.version_comments, name="version_comments"),
    path("<int:pk>/adopt/", views.adopt, name="adopt"),
]
