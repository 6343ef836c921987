"""Full-text search for the rendered site, as static files: a Pagefind index.

Pagefind (the `pagefind` package with its binary, from `pagefind[bin]`) reads the pages and
writes a chunked index, its WebAssembly search engine and `pagefind.js`; the browser fetches
only the chunks a query needs, from the site's own folder, so no request leaves it. lessonkit
hands it exactly the pages this build made (no file is read from the output folder, which may
hold anything) and gets the index back as files, which the site writer then writes like any
page: atomically, only when changed, and recorded in the manifest so `--clean` keeps working.

Only the `<article data-pagefind-body>` of lesson pages, planning documents, teaching guides and
review reports is indexed; headings with an id become the sections a result points into. The
site's own `search.js` draws the results; Pagefind's ready-made UI bundles are not written.
"""

from __future__ import annotations

import asyncio
import re
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
        from pagefind.index import PagefindIndex
        from pagefind.service import get_executable
    except ImportError as error:
        raise SearchUnavailable("the pagefind package is not installed") from error
    if get_executable() is None:
        raise SearchUnavailable("pagefind's binary is missing; install pagefind[bin]")

    async def build(folder: Path) -> None:
        config = {"output_path": str(folder), "force_language": "en"}
        async with PagefindIndex(config=config) as index:  # type: ignore[arg-type]
            for relative, content in sorted(pages.items()):
                # Relative URLs: search.js resolves them against the site's root, so the site
                # works from any folder of a web server.
                await index.add_html_file(content=content, url=relative)

    with tempfile.TemporaryDirectory(prefix="lessonkit-search-") as temporary:
        folder = Path(temporary)
        try:
            asyncio.run(build(folder))
        except (OSError, RuntimeError, AssertionError) as error:
            raise SearchUnavailable(f"pagefind could not index the pages: {error}") from error
        return {
            path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and not _UNUSED.fullmatch(path.name)
        }
