app_name = "charter_staff"
urlpatterns = []
