"""Writing new course material: `lessonkit new` scaffolds a lesson from the concept ledger."""
