"""lessonkit: validate, check and render lessons written as structured YAML.

The package reads top to bottom as the data flows: `project` (root and configuration) ->
`load` (YAML -> data with positions) -> `schemas` (Pydantic models) -> `validate` (diagnostics)
-> `report` (output formats); `cli` wires them to the command line.
"""

from __future__ import annotations

__version__ = "0.1.0"
