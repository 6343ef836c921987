"""User-facing errors: the command line reports them in one line and exits 2."""

from __future__ import annotations


class LessonkitError(Exception):
    """A problem with how lessonkit was asked to run, not with the lessons it checks."""


class ConfigError(LessonkitError):
    """Configuration that cannot be used."""


class UsageError(LessonkitError):
    """A command that cannot run as given (e.g. nothing to check)."""
