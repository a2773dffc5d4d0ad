from django.urls import path

from engagement.plans import staff_views as views

app_name = "plans_staff"
urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("new/", views.new_plan, name="new_plan"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/publish/", views.publish_plan, name="publish_plan"),
    path("<int:pk>/priorities/new/", views.add_priority, name="add_priority"),
    path("<int:pk>/actions/new/", views.add_action, name="add_action"),
    path("actions/<int:pk>/progress/", views.action_progress, name="action_progress"),
    path("fund/", views.fund_overview, name="fund"),
    path("fund/new/", views.new_fund, name="new_fund"),
    path("fund/applications/<str:reference>/", views.application_detail, name="application"),
    path("fund/applications/<str:reference>/score/", views.score, name="score"),
    path("fund/applications/<str:reference>/decide/", views.decide, name="decide"),
    path("fund/applications/<str:reference>/pay/", views.record_payment, name="pay"),
]
