"""Benchmark: what the search index adds to `lessonkit render` on a big course.

    python bench/search.py [--lessons N] [--keep DIR]

Builds N lessons (default 1,000) with bench/validate.py's generator, validates them once, then
prints, in-process:

- render without search: every page of the site written into an empty folder;
- the search index alone: Pagefind indexing those pages (what render adds for search, but for
  writing the index files);
- render with nothing changed, search included (the same folder again);
- the number of pages indexed and the index's size on disk.

Figures only; nothing is asserted. The machine's load shows in every figure: compare figures
from one run, not across runs. With --keep DIR the generated course is kept in DIR.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.validate import build  # the same synthetic course as bench/validate.py
from lessonkit.check.validate import default_paths, run
from lessonkit.core.project import open_project
from lessonkit.site.pages import render_site
from lessonkit.site.search import search_index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=1000)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="lessonkit-bench-search-"))
    try:
        course = base / f"course-{args.lessons}"
        if not (course / "lessons").is_dir():
            build(course, args.lessons)
        project = open_project(course)
        result = run(default_paths(project), project=project, cwd=course)
        assert result.course is not None and result.settings is not None
        site = course / "site"
        shutil.rmtree(site, ignore_errors=True)

        start = time.perf_counter()
        plain = render_site(result.course, result.settings, site, search=False)
        rendered = time.perf_counter() - start

        pages = {
            relative: (site / relative).read_text(encoding="utf-8")
            for relative in (
                f"{kind}/{lesson_id}.html"
                for lesson_id in result.course.lessons
                for kind in ("lessons", "planning", "guides", "reviews")
            )
        }
        start = time.perf_counter()
        files = search_index(pages)
        indexing = time.perf_counter() - start

        start = time.perf_counter()
        render_site(result.course, result.settings, site, search=True)
        again = time.perf_counter() - start

        index = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in index)
        print(f"lessons                          {args.lessons:>10}")
        print(f"render without search (cold)     {rendered:>9.1f}s  ({plain.pages} files)")
        print(f"search index (Pagefind alone)    {indexing:>9.1f}s  ({len(files)} files)")
        print(f"render with nothing changed      {again:>9.1f}s  (search included)")
        print(f"pages indexed                    {4 * len(result.course.lessons):>10}")
        print(f"index size                       {size / 1e6:>9.1f} MB")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
