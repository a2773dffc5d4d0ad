from django.urls import path

from repairs import staff_views

app_name = "repairs_staff"
urlpatterns = [
    path("", staff_views.repair_list, name="list"),
    path("performance/", staff_views.performance, name="performance"),
    path("hazards/new/", staff_views.new_hazard, name="new_hazard"),
    path("photos/<uuid:public_id>/", staff_views.photo, name="photo"),
    path("<str:reference>/", staff_views.case_detail, name="detail"),
    path("<str:reference>/appointment/", staff_views.choose_slot, name="choose_slot"),
    path(
        "<str:reference>/appointment/cancel/",
        staff_views.cancel_appointment,
        name="cancel_appointment",
    ),
    path(
        "<str:reference>/appointment/<int:slot_id>/",
        staff_views.confirm_slot,
        name="confirm_slot",
    ),
]
