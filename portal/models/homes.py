import re

from django.db import models
from django.db.models.functions import Upper


class Tenure(models.TextChoices):
    # The regulator's names: LCRA is low cost rental accommodation, LCHO low cost home ownership.
    SOCIAL_RENT = "LCRA", "Social rent"
    SHARED_OWNERSHIP = "LCHO", "Shared ownership"
    LEASEHOLD = "LEASEHOLD", "Leasehold"


class Neighbourhood(models.Model):
    """An officer's patch: a few estates, a few hundred homes."""

    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Estate(models.Model):
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="estates")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["neighbourhood", "name"], name="estate_unique_in_neighbourhood")]

    def __str__(self):
        return self.name


class Block(models.Model):
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="blocks")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["estate", "name"], name="block_unique_in_estate")]

    def __str__(self):
        return self.name


def address_sort_key(line: str) -> str:
    """The first line of an address as it sorts for people: 2 before 10 ("Flat 2" before
    "Flat 10"), whatever the database's collation. Numbers are padded to eight digits."""
    return re.sub(r"\d+", lambda number: number.group().zfill(8), line.casefold())[:255]


class HomeQuerySet(models.QuerySet):
    """Bulk writes (the stock import, the demo) keep address_sort in step as save() does."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for home in objs:
            home.address_sort = address_sort_key(home.address_line_1)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs, fields = list(objs), list(fields)
        if "address_line_1" in fields:
            for home in objs:
                home.address_sort = address_sort_key(home.address_line_1)
            fields.append("address_sort")
        return super().bulk_update(objs, fields, *args, **kwargs)


class Home(models.Model):
    uprn = models.CharField("UPRN", max_length=12, unique=True, help_text="Unique Property Reference Number")
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    address_line_3 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=10)
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="homes")
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="homes", null=True, blank=True)
    block = models.ForeignKey(Block, on_delete=models.PROTECT, related_name="homes", null=True, blank=True)
    tenure = models.CharField(max_length=10, choices=Tenure.choices)
    bedrooms = models.PositiveSmallIntegerField()
    has_communal_areas = models.BooleanField(default=False)
    # Kept in step with address_line_1 by save() and bulk writes, for listing homes in order.
    address_sort = models.CharField(max_length=255, default="", editable=False)

    objects = HomeQuerySet.as_manager()

    class Meta:
        ordering = ["postcode", "address_sort"]
        indexes = [
            models.Index(Upper("postcode"), name="home_postcode_upper"),
            models.Index(fields=["neighbourhood", "tenure"], name="home_patch_tenure"),
        ]

    def __str__(self):
        return self.short_address

    def save(self, *args, **kwargs):
        self.address_sort = address_sort_key(self.address_line_1)
        if kwargs.get("update_fields") is not None and "address_line_1" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "address_sort"}
        super().save(*args, **kwargs)

    @property
    def short_address(self):
        return f"{self.address_line_1}, {self.postcode}"

    @property
    def address_lines(self):
        return [
            line
            for line in (self.address_line_1, self.address_line_2, self.address_line_3, self.town, self.postcode)
            if line
        ]


class Tenancy(models.Model):
    """An agreement for a home: a tenancy, a lease or a shared-ownership lease."""

    reference = models.CharField(max_length=30, unique=True)
    home = models.ForeignKey(Home, on_delete=models.PROTECT, related_name="tenancies")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    residents = models.ManyToManyField("portal.Resident", related_name="tenancies", blank=True)

    class Meta:
        verbose_name_plural = "tenancies"
        ordering = ["-start_date"]

    def __str__(self):
        return self.reference

    @property
    def is_current(self):
        return self.end_date is None
