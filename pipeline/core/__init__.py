"""The floor every wing stands on: the diagnostic record, user-facing errors, the project and its
configuration, and small helpers used everywhere (did-you-mean, safe file writes, templates)."""
