from django.urls import path

from complaints import views

app_name = "complaints"
urlpatterns = [
    path("", views.your_complaints, name="list"),
    path("new/", views.make_complaint, name="new"),
    path("you-said-we-did/", views.you_said_we_did, name="you_said_we_did"),
    path("report/<int:year>/", views.public_report, name="public_report"),
    path("report/<int:year>.csv", views.public_report_csv, name="public_report_csv"),
    path("<str:reference>/", views.complaint_detail, name="detail"),
    path("<str:reference>/escalate/", views.escalate, name="escalate"),
    path("<str:reference>/response/<int:stage>/", views.response_page, name="response"),
    path("<str:reference>/documents/<int:pk>/", views.document, name="document"),
]
