"""The course as a whole: its lessons, curriculum and reviews indexed, and the concept ledger."""
