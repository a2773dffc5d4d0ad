"""Newsletters and targeted service notices."""
