from django.urls import path

from engagement.asb import views

app_name = "asb"
urlpatterns = [
    path("anti-social-behaviour/", views.your_reports, name="list"),
    path("anti-social-behaviour/report/", views.make_report, name="new"),
    path("anti-social-behaviour/reports/<int:pk>/", views.report_detail, name="detail"),
    path("anti-social-behaviour/reports/<int:pk>/diary/", views.add_diary_entry, name="diary"),
]
