"""Public pages: the newsletter and the service updates by estate. No sign-in needed."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from engagement.news import selectors
from engagement.news.models import Section
from portal.models import Estate
from portal.uploads import stored_file_response


def issue_list(request):
    page = Paginator(selectors.published_issues(), 20).get_page(request.GET.get("page"))
    return render(request, "news/public/issue_list.html", {"page": page})


def issue_page(request, pk):
    issue = selectors.issue_with_sections(pk)
    if issue is None:
        raise Http404("No such newsletter")
    return render(
        request, "news/public/issue.html", {"issue": issue, "sections": list(issue.sections.all())}
    )


def image(request, image_id):
    """A section's picture: anyone may see a published issue's; a draft's only staff."""
    section = (
        Section.objects.select_related("issue").filter(image_id=image_id).exclude(image="").first()
    )
    if section is None:
        raise Http404("No such picture")
    if not section.issue.is_published:
        officer = request.user.officer_or_none if request.user.is_authenticated else None
        if officer is None or not officer.is_active:
            raise Http404("No such picture")
    return stored_file_response(
        section.image,
        content_type=section.image_content_type or "image/jpeg",
        cache_control="public, max-age=86400" if section.issue.is_published else "private, no-store",
    )


def service_updates(request):
    estates = list(selectors.estates_with_notices())
    estate = None
    if request.GET.get("estate", "").isdigit():
        estate = Estate.objects.filter(pk=request.GET["estate"]).first()
        if estate is None:
            raise Http404("No such estate")
    page = Paginator(selectors.public_notices(estate=estate), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "news/public/service_updates.html",
        {"page": page, "estates": estates, "estate": estate},
    )


def notice_page(request, pk):
    notice = selectors.notice_with_updates(pk)
    if notice is None:
        raise Http404("No such service update")
    return render(
        request,
        "news/public/notice.html",
        {"notice": notice, "updates": list(notice.updates.all())},
    )
