from django.urls import path

from engagement import views

app_name = "engagement"
urlpatterns = [
    path("get-involved/", views.index, name="index"),
    path("get-involved/your-panels/", views.your_panels, name="your_panels"),
    path("get-involved/panels/<slug:slug>/", views.panel_detail, name="panel"),
    path("get-involved/panels/<slug:slug>/apply/", views.apply, name="apply"),
    path("get-involved/applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("get-involved/memberships/<int:pk>/leave/", views.leave, name="leave"),
    path("get-involved/meetings/<int:pk>/", views.meeting, name="meeting"),
    path(
        "get-involved/meetings/<int:pk>/papers/<int:paper_pk>/",
        views.meeting_paper,
        name="meeting_paper",
    ),
    path("get-involved/reviews/<int:pk>/", views.member_review, name="member_review"),
    path(
        "get-involved/reviews/<int:pk>/evidence/<int:evidence_pk>/",
        views.member_evidence,
        name="member_evidence",
    ),
    path("get-involved/scrutiny/", views.public_reviews, name="public_reviews"),
    path("get-involved/scrutiny/<slug:slug>/", views.public_review, name="public_review"),
    path("consultations/", views.consultations, name="consultations"),
    path("consultations/<slug:slug>/", views.consultation, name="consultation"),
    path("consultations/<slug:slug>/answer/", views.answer_consultation, name="answer"),
    path(
        "consultations/<slug:slug>/document/",
        views.consultation_document,
        name="consultation_document",
    ),
    path(
        "consultations/<slug:slug>/comments/<int:number>/",
        views.consultation_comments,
        name="comments",
    ),
    path("you-said-we-did/", views.you_said_we_did, name="you_said_we_did"),
]
