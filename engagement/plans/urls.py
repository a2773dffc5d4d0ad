from django.urls import path

from engagement.plans import views

app_name = "plans"
urlpatterns = [
    path("neighbourhood-plans/", views.plans_index, name="index"),
    path(
        "neighbourhood-plans/your-neighbourhood/",
        views.your_neighbourhood,
        name="your_neighbourhood",
    ),
    path(
        "neighbourhood-plans/<int:neighbourhood_id>/",
        views.neighbourhood_page,
        name="neighbourhood",
    ),
    path("neighbourhood-plans/plan/<int:pk>/", views.plan_page, name="plan"),
    path("neighbourhood-plans/plan/<int:pk>/vote/", views.vote, name="vote"),
    path("community-fund/", views.fund_page, name="fund"),
    path("community-fund/apply/", views.apply, name="apply"),
    path("community-fund/your-applications/", views.your_applications, name="applications"),
    path(
        "community-fund/your-applications/<str:reference>/",
        views.application_detail,
        name="application",
    ),
    path(
        "community-fund/your-applications/<str:reference>/progress/",
        views.post_update,
        name="post_update",
    ),
    path("community-fund/projects/", views.projects, name="projects"),
    path("community-fund/projects/<str:reference>/", views.project_page, name="project"),
    path("community-fund/projects/<str:reference>/support/", views.support, name="support"),
    path("community-fund/photos/<uuid:public_id>/", views.photo, name="photo"),
    path("community-fund/assess/", views.assess_list, name="assess_list"),
    path("community-fund/assess/<str:reference>/", views.assess, name="assess"),
]
