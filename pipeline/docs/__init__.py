"""Generated files: the reference docs from the models and the rule registry, JSON Schema."""
