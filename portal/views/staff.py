from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from portal import selectors
from portal.models import AuditEntry, Notification, NotificationStatus, Resident
from portal.services.audit import record_audit
from portal.services.notify import resend_notification as resend
from portal.views.access import officer_required


@officer_required
def home(request):
    officer = request.officer
    context = {"officer": officer}
    if officer.patch_id:
        context.update(
            {
                "summary": selectors.patch_summary(officer.patch),
                "cases": selectors.patch_open_cases(officer.patch)[:25],
                "homes_page": Paginator(selectors.patch_homes(officer.patch), 50).get_page(
                    request.GET.get("page")
                ),
            }
        )
    else:
        context["organisation"] = selectors.organisation_summary()
    return render(request, "staff/home.html", context)


@officer_required
def resident_record(request, pk):
    resident = get_object_or_404(Resident, pk=pk)
    record_audit(
        actor=request.user, action=AuditEntry.Action.VIEW, resident=resident, subject=f"resident {resident.pk}"
    )
    return render(
        request,
        "staff/resident.html",
        {
            "resident": resident,
            "tenancies": selectors.current_tenancies(resident),
            "cases": selectors.resident_cases(resident)[:50],
        },
    )


@officer_required
def notifications(request):
    status = request.GET.get("status", "")
    if status not in NotificationStatus.values:
        status = ""
    outbox = Notification.objects.select_related("resident", "officer", "case").order_by("-created_at")
    if status:
        outbox = outbox.filter(status=status)
    page = Paginator(outbox, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/notifications.html",
        {"page": page, "status": status, "statuses": NotificationStatus.choices},
    )


@officer_required
@require_POST
def resend_notification(request, pk):
    notification = get_object_or_404(Notification, pk=pk)
    resend(notification=notification)
    if notification.resident_id:
        record_audit(
            actor=request.user,
            action=AuditEntry.Action.CHANGE,
            resident=notification.resident,
            subject=f"notification {notification.pk} sent again",
        )
    messages.success(request, f"The message “{notification.subject}” will be sent again.")
    url = reverse("staff:notifications")
    # Back to the list the officer was looking at.
    status = request.POST.get("status", "")
    if status in NotificationStatus.values:
        url += f"?status={status}"
    return redirect(url)
