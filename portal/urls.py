from django.contrib import admin
from django.urls import include, path

from portal.views import pages, resident, staff

handler403 = "portal.views.pages.permission_denied"
handler404 = "portal.views.pages.page_not_found"
handler500 = "portal.views.pages.server_error"

staff_patterns = [
    path("", staff.home, name="home"),
    path("residents/<int:pk>/", staff.resident_record, name="resident"),
    path("notifications/", staff.notifications, name="notifications"),
    path("notifications/<int:pk>/resend/", staff.resend_notification, name="resend_notification"),
]

urlpatterns = [
    path("", resident.home, name="home"),
    path("account/link-your-home/", resident.link_tenancy, name="link_tenancy"),
    path("account/contact-preferences/", resident.contact_preferences, name="contact_preferences"),
    path("account/your-data/", resident.your_data, name="your_data"),
    path("account/your-data/download.<str:fmt>", resident.download_your_data, name="download_your_data"),
    path("cases/<str:reference>/", resident.case_detail, name="case_detail"),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("privacy/", pages.privacy, name="privacy"),
    path("repairs/", include("repairs.urls")),
    path("complaints/", include("complaints.urls")),
    path("staff/repairs/", include("repairs.staff_urls")),
    path("staff/complaints/", include("complaints.staff_urls")),
    path("staff/", include((staff_patterns, "staff"))),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
