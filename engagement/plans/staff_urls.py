app_name = "plans_staff"
urlpatterns = []
