from django.urls import path

from engagement.neighbourhoods import views

app_name = "neighbourhoods"
urlpatterns = [
    path("neighbourhood/", views.index, name="index"),
    path("neighbourhood/officers/", views.officers, name="officers"),
    path("neighbourhood/officers/<int:pk>/photo/", views.officer_photo, name="officer_photo"),
    path("neighbourhood/surgeries/", views.surgeries, name="surgeries"),
    path("neighbourhood/surgeries/<int:pk>/", views.surgery, name="surgery"),
    path("neighbourhood/surgeries/<int:pk>/book/", views.book_surgery, name="book"),
    path("neighbourhood/walkabouts/", views.walkabouts, name="walkabouts"),
    path("neighbourhood/walkabouts/<int:pk>/", views.walkabout, name="walkabout"),
    path("neighbourhood/walkabouts/<int:pk>/join/", views.join_walkabout, name="join_walkabout"),
    path("neighbourhood/doorstep-days/", views.doorstep_days, name="doorstep_days"),
    path("neighbourhood/your-bookings/", views.your_bookings, name="your_bookings"),
    path(
        "neighbourhood/your-bookings/surgery/<int:pk>/cancel/",
        views.cancel_booking,
        name="cancel_booking",
    ),
    path(
        "neighbourhood/your-bookings/walkabout/<int:pk>/leave/",
        views.leave_walkabout,
        name="leave_walkabout",
    ),
    path("neighbourhood/estate-inspections/", views.scores, name="scores"),
    path(
        "neighbourhood/estate-inspections/<int:pk>/",
        views.inspection_report,
        name="inspection_report",
    ),
    path("neighbourhood/contractors/<int:pk>/", views.contractor_scores, name="contractor"),
]
