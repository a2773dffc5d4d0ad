app_name = "neighbourhoods_staff"
urlpatterns = []
