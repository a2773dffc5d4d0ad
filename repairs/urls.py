from django.urls import path, register_converter

from repairs import views


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(IsoDateConverter, "isodate")

app_name = "repairs"
urlpatterns = [
    path("", views.index, name="index"),
    path("report/", views.report_start, name="report_start"),
    path("report/where/", views.report_where, name="report_where"),
    path("report/what/", views.report_category, name="report_category"),
    path("report/problem/", views.report_problem, name="report_problem"),
    path("report/question/<slug:code>/", views.report_question, name="report_question"),
    path("report/describe/", views.report_description, name="report_description"),
    path("report/photos/", views.report_photos, name="report_photos"),
    path(
        "report/photos/<uuid:public_id>/remove/",
        views.remove_report_photo,
        name="remove_report_photo",
    ),
    path("report/access/", views.report_access, name="report_access"),
    path("report/check/", views.report_check, name="report_check"),
    path("safety-concern/", views.safety_concern, name="safety_concern"),
    path("photos/<uuid:public_id>/", views.photo, name="photo"),
    path("<str:reference>/", views.repair_detail, name="detail"),
    path("<str:reference>/reported/", views.reported, name="reported"),
    path("<str:reference>/appointment/", views.choose_day, name="choose_day"),
    path(
        "<str:reference>/appointment/cancel/", views.cancel_appointment, name="cancel_appointment"
    ),
    path("<str:reference>/appointment/<isodate:day>/", views.choose_time, name="choose_time"),
    path("<str:reference>/satisfaction/", views.satisfaction, name="satisfaction"),
]
