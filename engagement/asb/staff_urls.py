from django.urls import path

from engagement.asb import staff_views as views

app_name = "asb_staff"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("nm01/", views.nm01_page, name="nm01"),
    path("new/", views.find_reporter, name="new"),
    path("new/<int:resident_id>/", views.log_report, name="log"),
    path("actions/<int:pk>/done/", views.complete_action, name="complete_action"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/risk/", views.risk_assessment, name="risk"),
    path("<str:reference>/actions/", views.add_action, name="add_action"),
    path("<str:reference>/contacts/", views.record_contact, name="contact"),
    path("<str:reference>/incidents/", views.add_incident, name="incident"),
    path("<str:reference>/people/", views.add_person, name="person"),
    path("<str:reference>/update/", views.send_update, name="update"),
    path("<str:reference>/review/", views.record_review, name="review"),
    path("<str:reference>/hate/", views.hate_incident, name="hate"),
    path("<str:reference>/officer/", views.change_owner, name="owner"),
    path("<str:reference>/close/", views.close_case, name="close"),
    path("<str:reference>/reports/<int:pk>/move/", views.move_report, name="move_report"),
]
