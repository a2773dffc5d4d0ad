from django.urls import path

from repairs import staff_views

app_name = "repairs_staff"
urlpatterns = [
    path("", staff_views.repair_list, name="list"),
    path("performance/", staff_views.performance, name="performance"),
    path("hazards/new/", staff_views.new_hazard, name="new_hazard"),
    path("photos/<uuid:public_id>/", staff_views.photo, name="photo"),
    path("<str:reference>/", staff_views.case_detail, name="detail"),
]
