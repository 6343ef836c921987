"""Jinja templates shipped with lessonkit, one flat folder: a project overrides one by name.

This file only makes the folder installable as `lessonkit.templates`.
"""
