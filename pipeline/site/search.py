"""Full-text search for the rendered site, as static files: a Pagefind index.

Pagefind (the `pagefind` package with its binary, from `pagefind[bin]`) reads the pages and
writes a chunked index, its WebAssembly search engine and `pagefind.js`; the browser fetches
only the chunks a query needs, from the site's own folder, so no request leaves it. lessonkit
hands it exactly the pages this build made, copied into a folder of its own (nothing is read
from the output folder, which may hold anything), and takes the index back as files, which the
site writer then writes like any page: atomically, only when changed, and recorded in the
manifest so `--clean` keeps working.

Only the `<article data-pagefind-body>` of lesson pages, planning documents, teaching guides and
review reports is indexed; headings with an id become the sections a result points into. The
site's own `search.js` draws the results; Pagefind's ready-made UI bundles are not written.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

SEARCH_FOLDER = "pagefind"

# Pagefind's own interfaces; the site's search page uses pagefind.js directly.
_UNUSED = re.compile(r"pagefind-(?:component-ui|modular-ui|ui|highlight)\.(?:js|css)")


class SearchUnavailable(Exception):
    """Pagefind is not installed or could not index the pages (the site is written without
    search, with a warning)."""


def search_index(pages: dict[str, str]) -> dict[str, bytes]:
    """The Pagefind index of `pages` (site-relative path -> HTML) as site-relative path ->
    bytes, under `SEARCH_FOLDER`."""
    try:
        from pagefind.service import get_executable
    except ImportError as error:
        raise SearchUnavailable("the pagefind package is not installed") from error
    executable = get_executable()
    if executable is None:
        raise SearchUnavailable("pagefind's binary is missing; install pagefind[bin]")
    with tempfile.TemporaryDirectory(prefix="lessonkit-search-") as temporary:
        # The pages are copied into a folder of their own (never read from the output folder)
        # and indexed there by the binary, which reads and indexes them on all cores: several
        # times faster than handing them over one by one through its Python service.
        staging, output = Path(temporary, "site"), Path(temporary, "index")
        for relative, content in pages.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        command = [str(executable), "--site", str(staging), "--output-path", str(output)]
        try:
            done = subprocess.run(
                [*command, "--force-language", "en"], capture_output=True, text=True, check=False
            )
        except OSError as error:
            raise SearchUnavailable(f"pagefind could not run: {error}") from error
        if done.returncode != 0:
            last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise SearchUnavailable(f"pagefind could not index the pages: {last[0]}")
        return {
            path.relative_to(output).as_posix(): path.read_bytes()
            for path in sorted(output.rglob("*"))
            if path.is_file() and not _UNUSED.fullmatch(path.name)
        }
