"""Checking: the rule registry and its rules, the engine that runs them, suppressions, fixes and
the validate run."""
