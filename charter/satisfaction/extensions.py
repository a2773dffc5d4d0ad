"""What this app adds to the shared core: a staff menu item, a block on the invited resident's
home page, and its part of a resident's subject access export."""

from django.utils import timezone

from portal.extensions import (
    HomeSection,
    MenuItem,
    register_menu_item,
    register_resident_home_section,
    register_subject_access,
)


def register() -> None:
    register_menu_item(
        MenuItem(
            audience="public",
            label="Satisfaction measures",
            url_name="satisfaction:index",
            order=20,
        )
    )
    register_menu_item(
        MenuItem(
            audience="staff", label="Satisfaction", url_name="satisfaction_staff:index", order=70
        )
    )
    register_resident_home_section(survey_invitation)
    register_subject_access("tenant_satisfaction_survey", export_for_resident)


def survey_invitation(resident):
    """An open invitation the household has not yet answered: one or two queries."""
    from charter.satisfaction import selectors

    invitation = selectors.open_invitation(resident, today=timezone.localdate())
    if invitation is None or selectors.household_has_answered(
        year=invitation.survey.year, home=invitation.home
    ):
        return None
    return HomeSection(
        template="satisfaction/resident/_home_section.html",
        context={"survey": invitation.survey},
        order=20,
    )


def export_for_resident(resident):
    from charter.satisfaction.models import Invitation, SurveyResponse

    rows = [
        {
            "record": "Survey invitation",
            "year": invitation.survey.label,
            "invited_at": invitation.invited_at.isoformat(),
            "reminders_sent": invitation.reminders_sent,
        }
        for invitation in Invitation.objects.filter(resident=resident).select_related("survey")
    ]
    for response in SurveyResponse.objects.filter(resident=resident):
        rows.append(
            {
                "record": "Survey answers",
                "year": response.year,
                "collected_on": response.collected_on.isoformat(),
                "method": response.get_method_display(),
                **response.answers(),
                "withdrawn": bool(response.withdrawn_at),
                "withdrawal_reason": response.withdrawal_reason,
            }
        )
    return rows
