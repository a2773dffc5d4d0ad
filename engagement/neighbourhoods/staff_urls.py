from django.urls import path

from engagement.neighbourhoods import staff_views as views

app_name = "neighbourhoods_staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("surgeries/", views.surgery_list, name="surgeries"),
    path("surgeries/new/", views.new_surgery, name="new_surgery"),
    path("surgeries/<int:pk>/", views.surgery_detail, name="surgery"),
    path("surgeries/<int:pk>/cancel/", views.cancel_surgery, name="cancel_surgery"),
    path("surgeries/<int:pk>/visits/<int:visit_pk>/case/", views.visit_case, name="visit_case"),
    path("walkabouts/", views.walkabout_list, name="walkabouts"),
    path("walkabouts/new/", views.new_walkabout, name="new_walkabout"),
    path("walkabouts/<int:pk>/", views.walkabout_detail, name="walkabout"),
    path("walkabouts/<int:pk>/cancel/", views.cancel_walkabout, name="cancel_walkabout"),
    path("walkabouts/<int:pk>/inspect/", views.inspect_walkabout, name="inspect_walkabout"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/new/", views.new_inspection, name="new_inspection"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/<str:kind>/<int:place_pk>/", views.score_place, name="score_place"),
    path("findings/<int:pk>/case/", views.finding_case, name="finding_case"),
    path("findings/<int:pk>/photo/", views.finding_photo, name="finding_photo"),
    path("contractors/", views.contractors, name="contractors"),
    path("contractors/<int:pk>/", views.contractor_detail, name="contractor"),
    path("doorstep-days/new/", views.new_doorstep_day, name="new_doorstep_day"),
    path("your-details/", views.profile, name="profile"),
]
