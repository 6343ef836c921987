"""`python -m lessonkit` is the `lessonkit` command."""

from .cli import main

main()
