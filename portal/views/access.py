"""Who may see what. Residents see only their own homes and cases; staff pages need an officer."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect


def resident_required(view):
    """A signed-in resident whose account is linked to a tenancy; others are sent to link one."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        resident = request.user.resident_or_none
        if resident is None:
            if request.user.officer_or_none is not None:
                raise PermissionDenied("This page is for residents")
            return redirect("link_tenancy")
        request.resident = resident
        return view(request, *args, **kwargs)

    return wrapper


def officer_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        officer = request.user.officer_or_none
        if officer is None or not officer.is_active:
            raise PermissionDenied("This page is for staff")
        request.officer = officer
        return view(request, *args, **kwargs)

    return wrapper


def manager_required(view):
    """Publishing and settings: a manager's decisions, audited as theirs."""

    @officer_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.officer.is_manager:
            raise PermissionDenied("This page is for managers")
        return view(request, *args, **kwargs)

    return wrapper
