app_name = "news_staff"
urlpatterns = []
