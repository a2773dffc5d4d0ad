from portal.models import AuditEntry


def record_audit(*, actor, action: str, subject: str, resident=None, detail: dict | None = None) -> AuditEntry:
    """Staff reads and changes of resident data leave a line here (Consumer Standards evidence)."""
    return AuditEntry.objects.create(
        actor=actor, action=action, subject=subject, resident=resident, detail=detail or {}
    )
