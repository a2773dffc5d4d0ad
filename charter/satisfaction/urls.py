app_name = "satisfaction"
urlpatterns = []
