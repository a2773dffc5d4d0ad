from django.urls import path

from charter.satisfaction import views

app_name = "satisfaction"
urlpatterns = [
    path("satisfaction/", views.published_years, name="index"),
    path("satisfaction/survey/", views.survey, name="survey"),
    path("satisfaction/survey/thank-you/", views.thanks, name="thanks"),
    path("satisfaction/<int:year>/", views.year_results, name="year"),
    path("satisfaction/<int:year>/measures.csv", views.year_csv, name="year_csv"),
    path("satisfaction/<int:year>/revision/<int:number>/", views.revision, name="revision"),
    path(
        "satisfaction/<int:year>/revision/<int:number>/measures.csv",
        views.revision_csv,
        name="revision_csv",
    ),
]
