"""The tenant charter, live performance against its promises, the customer voice report."""
