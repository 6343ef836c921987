"""Writing new course material: `lessonkit init` starts a course, `lessonkit new` scaffolds a
lesson from the concept ledger, `lessonkit import` reads planning documents."""
