"""What a run reports: the output formats, baselines and changed-only runs."""
