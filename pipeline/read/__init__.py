"""Reading: files into YAML data with positions, checked against the schema, and the one
Markdown model that prose rules and pages share."""
