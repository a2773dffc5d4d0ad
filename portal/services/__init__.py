"""Writes that matter, as plain keyword-only functions: one transaction each, called by views,
tasks, commands and tests alike."""
