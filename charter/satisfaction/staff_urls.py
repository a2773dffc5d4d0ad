from django.urls import path

from charter.satisfaction import staff_views as views

app_name = "satisfaction_staff"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.year_view, name="year"),
    path("<int:year>/survey/", views.survey_settings, name="settings"),
    path("<int:year>/survey/sample/", views.draw_sample, name="draw_sample"),
    path("<int:year>/import/", views.import_responses, name="import"),
    path("<int:year>/records/<str:kind>/", views.import_records, name="import_records"),
    path("<int:year>/interviews/", views.find_household, name="find_household"),
    path("<int:year>/interviews/<str:uprn>/", views.new_interview, name="new_interview"),
    path("<int:year>/responses/", views.responses, name="responses"),
    path("<int:year>/responses/<int:pk>/", views.response_detail, name="response"),
    path("<int:year>/responses/<int:pk>/correct/", views.correct_response, name="correct"),
    path("<int:year>/responses/<int:pk>/withdraw/", views.withdraw_response, name="withdraw"),
    path("<int:year>/approach/", views.approach, name="approach"),
    path("<int:year>/publish/", views.publish, name="publish"),
]
