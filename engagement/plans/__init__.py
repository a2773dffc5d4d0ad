"""Neighbourhood plans and resident-led project funding."""
