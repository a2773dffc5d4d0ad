app_name = "asb_staff"
urlpatterns = []
