from django.core.cache import cache
from django.db import models


class BankHolidayRegion(models.TextChoices):
    # Subdivision codes of the `holidays` library's United Kingdom calendar.
    ENGLAND_AND_WALES = "ENG", "England and Wales"
    SCOTLAND = "SCT", "Scotland"
    NORTHERN_IRELAND = "NIR", "Northern Ireland"


class Landlord(models.Model):
    """The landlord running this portal: one row, edited by an administrator."""

    name = models.CharField(max_length=200, default="Doorstep Homes")
    logo_text = models.CharField(
        max_length=60, default="Doorstep Homes", help_text="Shown in the header in place of a logo."
    )
    bank_holiday_region = models.CharField(
        max_length=3, choices=BankHolidayRegion.choices, default=BankHolidayRegion.ENGLAND_AND_WALES
    )
    phone = models.CharField(max_length=40, blank=True, default="0300 123 4567")
    email = models.EmailField(blank=True, default="")
    address = models.TextField(blank=True, default="")
    opening_hours = models.CharField(max_length=200, blank=True, default="Monday to Friday, 8am to 6pm")
    complaints_manager = models.ForeignKey(
        "portal.Officer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Told when a complaint deadline is overdue, beside the officer and their team leader.",
    )

    CACHE_KEY = "doorstep:landlord"

    class Meta:
        verbose_name = "landlord settings"
        verbose_name_plural = "landlord settings"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1  # one landlord per installation
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    @classmethod
    def current(cls) -> "Landlord":
        landlord = cache.get(cls.CACHE_KEY)
        if landlord is None:
            landlord, _ = cls.objects.get_or_create(pk=1)
            cache.set(cls.CACHE_KEY, landlord, 300)
        return landlord
