"""Get involved: panels, meetings, scrutiny reviews, consultations, you said we did."""
