"""Anti-social behaviour reports and cases, and NM01."""
