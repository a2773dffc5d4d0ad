"""The tenant satisfaction survey and the published Tenant Satisfaction Measures."""
