app_name = "engagement_staff"
urlpatterns = []
