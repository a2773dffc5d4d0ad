from django.urls import path

from complaints import staff_views as views

app_name = "complaints_staff"
urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("new/", views.log_complaint, name="new"),
    path("from-case/<str:reference>/", views.raise_from_case, name="raise_from_case"),
    path("actions/", views.open_actions, name="actions"),
    path("actions/<int:pk>/done/", views.complete_action, name="complete_action"),
    path("learning/", views.learning_entries, name="learning"),
    path("learning/<int:pk>/publish/", views.publish_learning_entry, name="publish_learning"),
    path("report/", views.report, name="report"),
    path("report/<int:year>.csv", views.report_csv, name="report_csv"),
    path("report/<int:year>/self-assessment/", views.self_assessment, name="self_assessment"),
    path("report/<int:year>/publish/", views.publish_report, name="publish_report"),
    path("<str:reference>/", views.complaint_detail, name="detail"),
    path("<str:reference>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<str:reference>/extend/", views.extend, name="extend"),
    path("<str:reference>/respond/", views.respond, name="respond"),
    path("<str:reference>/refuse/", views.refuse, name="refuse"),
    path("<str:reference>/escalate/", views.escalate, name="escalate"),
    path("<str:reference>/handler/", views.assign, name="assign"),
    path("<str:reference>/learning/", views.learning, name="learning_record"),
    path("<str:reference>/you-said-we-did/", views.new_learning_entry, name="new_learning_entry"),
    path("<str:reference>/compensation/", views.compensation, name="compensation"),
    path("<str:reference>/response/<int:stage>/", views.response_page, name="response"),
    path("<str:reference>/documents/<int:pk>/", views.document, name="document"),
]
