"""The officer's reminders: the notifications sent to them, newest first, unread ones marked."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portal.models import Notification
from portal.services.notify import mark_read
from portal.views.access import officer_required

PAGE_SIZE = 25


def _mine(officer):
    return Notification.objects.filter(officer=officer)


@officer_required
def inbox(request):
    notifications = _mine(request.officer).select_related("case").order_by("-created_at", "-id")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/inbox.html", {"page": page})


@officer_required
@require_POST
def mark_all_read(request):
    unread = _mine(request.officer).filter(read_at__isnull=True).values("pk")
    count = mark_read(officer=request.officer, notification_ids=unread)
    if count:
        messages.success(
            request, f"{count} {'reminder' if count == 1 else 'reminders'} marked as read."
        )
    else:
        messages.info(request, "You have no unread reminders.")
    return redirect("staff:inbox")


@officer_required
def open_notification(request, pk):
    """Follow a reminder to its case, marking it read on the way."""
    notification = get_object_or_404(_mine(request.officer).select_related("case"), pk=pk)
    mark_read(officer=request.officer, notification_ids=[notification.pk])
    if notification.case is None:
        return redirect("staff:inbox")
    return redirect("staff:case", reference=notification.case.reference)
