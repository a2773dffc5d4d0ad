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
    path("contractors/new/", views.new_contractor, name="new_contractor"),
    path("contractors/<int:pk>/change/", views.change_contractor, name="change_contractor"),
    path("contractors/<int:pk>/stop/", views.stop_contractor, name="stop_contractor"),
    path(
        "contractors/<int:pk>/use-again/", views.use_contractor_again, name="use_contractor_again"
    ),
    path("contractors/<int:pk>/estates/new/", views.assign_estate, name="assign_estate"),
    path(
        "contractors/<int:pk>/estates/<int:assignment_pk>/end/",
        views.end_assignment,
        name="end_assignment",
    ),
    path("centres/", views.centre_list, name="centres"),
    path("centres/new/", views.new_centre, name="new_centre"),
    path("centres/<int:pk>/", views.centre_detail, name="centre"),
    path("centres/<int:pk>/change/", views.change_centre, name="change_centre"),
    path("centres/<int:pk>/close/", views.close_centre, name="close_centre"),
    path("centres/<int:pk>/reopen/", views.reopen_centre, name="reopen_centre"),
    path("centres/<int:pk>/hours/new/", views.new_hours, name="new_hours"),
    path("centres/<int:pk>/hours/<int:hours_pk>/change/", views.change_hours, name="change_hours"),
    path("centres/<int:pk>/hours/<int:hours_pk>/remove/", views.remove_hours, name="remove_hours"),
    path("open-spaces/", views.open_space_list, name="open_spaces"),
    path("open-spaces/new/", views.new_open_space, name="new_open_space"),
    path("open-spaces/<int:pk>/rename/", views.rename_open_space, name="rename_open_space"),
    path("open-spaces/<int:pk>/retire/", views.retire_open_space, name="retire_open_space"),
    path(
        "open-spaces/<int:pk>/inspect-again/",
        views.bring_back_open_space,
        name="bring_back_open_space",
    ),
    path("doorstep-days/new/", views.new_doorstep_day, name="new_doorstep_day"),
    path("your-details/", views.profile, name="profile"),
]
