from django.urls import path

from engagement.news import views

app_name = "news"
urlpatterns = [
    path("news/", views.issue_list, name="issues"),
    path("news/<int:pk>/", views.issue_page, name="issue"),
    path("news/pictures/<uuid:image_id>/", views.image, name="image"),
    path("service-updates/", views.service_updates, name="service_updates"),
    path("service-updates/<int:pk>/", views.notice_page, name="notice"),
]
