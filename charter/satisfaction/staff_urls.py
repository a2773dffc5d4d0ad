app_name = "satisfaction_staff"
urlpatterns = []
