"""Words we send residents more than once: how to escalate, and how to reach the Ombudsman."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from portal.models import Landlord


def ombudsman_contact() -> str:
    ombudsman = settings.HOUSING_OMBUDSMAN
    return (
        f"{ombudsman['name']}, {', '.join(ombudsman['address'])}. "
        f"Phone {ombudsman['phone']}, email {ombudsman['email']}, website {ombudsman['website']}"
    )


def how_to_escalate(*, stage: int, reference: str) -> str:
    """The default paragraph on escalation for a response; the officer may add to it."""
    landlord = Landlord.current()
    if stage == 1:
        link = settings.SITE_URL + reverse("complaints:detail", args=[reference])
        call = f" or call us on {landlord.phone}" if landlord.phone else ""
        return (
            "If you are not happy with this response, you can ask us to look at your complaint again "
            f"at stage 2. You do not need to give a reason. Ask online at {link}{call}. "
            "Someone who did not deal with it at stage 1 will look at it again."
        )
    return (
        "This is our final response. If you are still not happy, you can ask the Housing Ombudsman "
        "to look at your complaint. You need to do this within 12 months of this final response. "
        f"Contact: {ombudsman_contact()}."
    )
