"""The core's own case opener: an enquiry logged by staff, opened in one step from another app
(an issue raised at a surgery, a question found on an estate inspection)."""

from portal.extensions import CaseOpener, register_case_opener


def open_enquiry(
    *,
    officer,
    summary="",
    details="",
    channel="walk_in",
    resident=None,
    home=None,
    estate=None,
    **_,
):
    from portal.models import Case, Officer, OfficerRole
    from portal.services.cases import assign_case
    from portal.services.enquiries import make_enquiry

    question = "\n\n".join(part.strip() for part in (summary, details) if part and part.strip())
    if not question:
        raise ValueError("Say what the enquiry is about")
    case = make_enquiry(
        resident=resident, home=home, question=question, channel=channel, logged_by=officer
    )
    if case.home_id is None and estate is not None:
        # Kept on the case so it shows under the estate's patch in the queue.
        Case.objects.filter(pk=case.pk).update(estate=estate)
        case.estate = estate
    if case.owner_id is None and case.is_open and estate is not None:
        # No home to find the patch by (a problem seen on the estate): the estate's officer calls back.
        patch_officer = (
            Officer.objects.filter(
                patch_id=estate.neighbourhood_id, is_active=True, role=OfficerRole.OFFICER
            )
            .select_related("team")
            .order_by("id")
            .first()
        )
        if patch_officer is not None:
            assign_case(case=case, owner=patch_officer, team=patch_officer.team, actor=officer.user)
    return case


def register() -> None:
    register_case_opener(CaseOpener("enquiry", "An enquiry", open_enquiry, order=10))
