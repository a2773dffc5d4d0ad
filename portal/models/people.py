from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower


class EmailUserManager(UserManager):
    """People sign in with their email address; there is no user name."""

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A sign-in. A resident's or an officer's details live on Resident or Officer."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    def __str__(self):
        return self.email

    @property
    def officer_or_none(self):
        try:
            return self.officer
        except Officer.DoesNotExist:
            return None

    @property
    def resident_or_none(self):
        try:
            return self.resident
        except Resident.DoesNotExist:
            return None


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    TEXT = "text", "Text message"
    LETTER = "letter", "Letter"
    PHONE = "phone", "Phone call"


class Resident(models.Model):
    """A tenant, leaseholder or shared owner. What they are follows from their tenancy's home."""

    user = models.OneToOneField(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="resident")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    preferred_channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    preferred_language = models.CharField(max_length=60, blank=True, default="English")
    accessibility_needs = models.TextField(blank=True)
    needs_large_print = models.BooleanField("large print", default=False)
    needs_easy_read = models.BooleanField("easy read", default=False)
    needs_interpreter = models.BooleanField("an interpreter", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(Lower("last_name"), Lower("first_name"), name="resident_name_lower"),
            models.Index(Lower("email"), name="resident_email_lower"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    leader = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="teams_led"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class OfficerRole(models.TextChoices):
    OFFICER = "officer", "Housing officer"
    TEAM_LEADER = "team_leader", "Team leader"
    MANAGER = "manager", "Manager"
    CONTACT_CENTRE = "contact_centre", "Contact centre"
    ADMINISTRATOR = "administrator", "Administrator"


class Officer(models.Model):
    """A member of staff. Their patch is the neighbourhood whose homes they look after."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="officer")
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=OfficerRole.choices, default=OfficerRole.OFFICER)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members")
    patch = models.ForeignKey(
        "portal.Neighbourhood", on_delete=models.SET_NULL, null=True, blank=True, related_name="officers"
    )
    phone = models.CharField(max_length=30, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_manager(self):
        return self.role in (OfficerRole.MANAGER, OfficerRole.ADMINISTRATOR)

    @property
    def leads_a_team(self):
        return self.role in (OfficerRole.TEAM_LEADER, OfficerRole.MANAGER)


class TenancyLinkAttempt(models.Model):
    """One try at linking an account to a tenancy, kept to lock out guessing."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tenancy_link_attempts")
    tenancy_reference = models.CharField(max_length=30)
    succeeded = models.BooleanField()
    attempted_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["user", "attempted_at"], name="link_attempt_user_time")]

    def __str__(self):
        return f"{self.user} {self.tenancy_reference} {'ok' if self.succeeded else 'failed'}"


__all__ = ["Channel", "Officer", "OfficerRole", "Resident", "Team", "TenancyLinkAttempt", "User"]
