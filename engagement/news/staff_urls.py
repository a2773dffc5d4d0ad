from django.urls import path

from engagement.news import staff_views as views

app_name = "news_staff"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("issues/new/", views.new_issue, name="new_issue"),
    path("issues/<int:pk>/", views.issue_detail, name="issue"),
    path("issues/<int:pk>/edit/", views.edit_issue, name="edit_issue"),
    path("issues/<int:pk>/preview/", views.preview_issue, name="preview_issue"),
    path("issues/<int:pk>/publish/", views.publish_issue, name="publish_issue"),
    path("issues/<int:pk>/sections/new/", views.add_section, name="add_section"),
    path("issues/<int:pk>/sections/<int:section_pk>/", views.edit_section, name="edit_section"),
    path(
        "issues/<int:pk>/sections/<int:section_pk>/remove/",
        views.remove_section,
        name="remove_section",
    ),
    path(
        "issues/<int:pk>/sections/<int:section_pk>/move/", views.move_section, name="move_section"
    ),
    path("notices/", views.notice_list, name="notices"),
    path("notices/new/", views.new_notice, name="new_notice"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/update/", views.update_notice, name="update_notice"),
    path("sent/<int:pk>/failures/", views.failures, name="failures"),
    path("sent/<int:pk>/letters/", views.letters, name="letters"),
    path("sent/<int:pk>/letters.csv", views.letters_csv, name="letters_csv"),
]
