"""The common pattern of repair priorities, for the landlord to change to its own."""

from django.db import migrations

PRIORITIES = [
    # code, name, amount, unit, emergency, bookable, description, order
    ("emergency", "Emergency", 24, "hours", True, False,
     "We will come and make it safe within 24 hours.", 10),
    ("urgent", "Urgent", 5, "working_days", False, True,
     "We will complete the repair within 5 working days.", 20),
    ("routine", "Routine", 20, "working_days", False, True,
     "We will complete the repair within 20 working days.", 30),
    ("planned", "Planned", 90, "calendar_days", False, True,
     "We will plan the work and complete it within 90 days.", 40),
]


def seed(apps, schema_editor):
    RepairPriority = apps.get_model("repairs", "RepairPriority")
    for code, name, amount, unit, emergency, bookable, description, order in PRIORITIES:
        RepairPriority.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "target_amount": amount,
                "target_unit": unit,
                "is_emergency": emergency,
                "bookable": bookable,
                "description": description,
                "order": order,
            },
        )


def unseed(apps, schema_editor):
    RepairPriority = apps.get_model("repairs", "RepairPriority")
    RepairPriority.objects.filter(code__in=[p[0] for p in PRIORITIES], repairs__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("repairs", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
