"""`lessonkit lsp`: the whole course's checks, completion and navigation in the editor.

- `positions`: lessonkit's 1-based code-point positions <-> LSP positions (UTF-16 by default);
- `locate`: which field the cursor is on, from the text alone (it works on broken buffers);
- `course_state`: the course as saved plus the editor's unsaved buffers, re-checked on change;
- `features`: diagnostics, quick fixes, completion, hover, navigation and symbols as LSP types;
- `server`: the pygls server that wires them to the protocol over stdio.
"""

from __future__ import annotations
