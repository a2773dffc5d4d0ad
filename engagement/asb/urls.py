app_name = "asb"
urlpatterns = []
