from .audit import AuditEntry
from .cases import (
    Case,
    CaseChannel,
    CaseKind,
    CaseStatus,
    ContactAttempt,
    ContactOutcome,
    Deadline,
    DeadlineKind,
    Event,
    EventKind,
    ReferenceSequence,
    Reminder,
    ReminderStage,
)
from .enquiries import Enquiry
from .homes import Block, Estate, Home, Neighbourhood, Tenancy, Tenure
from .landlord import BankHolidayRegion, Landlord
from .notifications import Notification, NotificationStatus
from .people import (
    Channel,
    Officer,
    OfficerRole,
    Resident,
    Team,
    TenancyLinkAttempt,
    User,
)

__all__ = [
    "AuditEntry",
    "BankHolidayRegion",
    "Block",
    "Case",
    "CaseChannel",
    "CaseKind",
    "CaseStatus",
    "Channel",
    "ContactAttempt",
    "ContactOutcome",
    "Deadline",
    "Enquiry",
    "DeadlineKind",
    "Estate",
    "Event",
    "EventKind",
    "Home",
    "Landlord",
    "Neighbourhood",
    "Notification",
    "NotificationStatus",
    "Officer",
    "OfficerRole",
    "ReferenceSequence",
    "Reminder",
    "ReminderStage",
    "Resident",
    "Team",
    "Tenancy",
    "TenancyLinkAttempt",
    "Tenure",
    "User",
]
