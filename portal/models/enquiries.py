from django.db import models


class Enquiry(models.Model):
    """A question a resident asked: online, or logged by the contact centre from a call, text,
    email, letter or visit. Answered there and then, or given a one-working-day call-back."""

    case = models.OneToOneField("portal.Case", on_delete=models.CASCADE, related_name="enquiry")
    question = models.TextField()
    resolved_at_first_contact = models.BooleanField(default=False)
    answer = models.TextField(blank=True, help_text="What we told the resident, when it was answered.")

    class Meta:
        verbose_name_plural = "enquiries"

    def __str__(self):
        return self.case.reference
