from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from portal.views import casework, enquiries, inbox, pages, resident, staff
from portal.views import queue as case_queue

handler403 = "portal.views.pages.permission_denied"
handler404 = "portal.views.pages.page_not_found"
handler500 = "portal.views.pages.server_error"

# The admin signs in through our own sign-in, so administrators get the same second factor.
admin.site.login = secure_admin_login(admin.site.login)

staff_patterns = [
    path("", staff.home, name="home"),
    path("residents/<int:pk>/", staff.resident_record, name="resident"),
    path("notifications/", staff.notifications, name="notifications"),
    path("notifications/<int:pk>/resend/", staff.resend_notification, name="resend_notification"),
    path("cases/<str:reference>/", casework.case_detail, name="case"),
    path("cases/<str:reference>/assign-to-me/", casework.assign_to_me, name="case_assign_to_me"),
    path("cases/<str:reference>/reassign/", casework.reassign, name="case_reassign"),
    path("cases/<str:reference>/notes/", casework.add_note, name="case_add_note"),
    path("cases/<str:reference>/contact/", casework.record_contact, name="case_record_contact"),
    path("cases/<str:reference>/status/", casework.change_status, name="case_change_status"),
    path("cases/<str:reference>/close/", casework.close_case, name="case_close"),
    path("enquiries/new/", enquiries.log_enquiry, name="log_enquiry"),
    path("enquiries/new/<int:resident_id>/", enquiries.log_enquiry_for, name="log_enquiry_for"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/read-all/", inbox.mark_all_read, name="inbox_mark_all_read"),
    path("inbox/<int:pk>/", inbox.open_notification, name="inbox_open"),
    path("queue/", case_queue.case_queue, name="queue"),
    path("queue.csv", case_queue.queue_csv, name="queue_csv"),
    path("queue/assign/", case_queue.assign, name="queue_assign"),
    path("team/", case_queue.team, name="team"),
]

urlpatterns = [
    path("", resident.home, name="home"),
    path("account/link-your-home/", resident.link_tenancy, name="link_tenancy"),
    path("account/contact-preferences/", resident.contact_preferences, name="contact_preferences"),
    path("account/your-data/", resident.your_data, name="your_data"),
    path("account/your-data/download.<str:fmt>", resident.download_your_data, name="download_your_data"),
    path("cases/<str:reference>/", resident.case_detail, name="case_detail"),
    path("contact-us/", enquiries.contact_us, name="contact_us"),
    path("contact-us/sent/<str:reference>/", enquiries.contact_us_sent, name="contact_us_sent"),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("privacy/", pages.privacy, name="privacy"),
    path("repairs/", include("repairs.urls")),
    path("complaints/", include("complaints.urls")),
    path("staff/repairs/", include("repairs.staff_urls")),
    path("staff/complaints/", include("complaints.staff_urls")),
    # Each of these apps names its own public and resident paths ("get-involved/", "charter/"...).
    path("", include("engagement.urls")),
    path("", include("engagement.neighbourhoods.urls")),
    path("", include("engagement.plans.urls")),
    path("", include("engagement.asb.urls")),
    path("", include("engagement.news.urls")),
    path("", include("charter.urls")),
    path("", include("charter.satisfaction.urls")),
    path("staff/engagement/", include("engagement.staff_urls")),
    path("staff/neighbourhoods/", include("engagement.neighbourhoods.staff_urls")),
    path("staff/plans/", include("engagement.plans.staff_urls")),
    path("staff/asb/", include("engagement.asb.staff_urls")),
    path("staff/news/", include("engagement.news.staff_urls")),
    path("staff/charter/", include("charter.staff_urls")),
    path("staff/satisfaction/", include("charter.satisfaction.staff_urls")),
    path("staff/", include((staff_patterns, "staff"))),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
