"""Where to find us, surgeries, walkabouts and estate inspections."""
