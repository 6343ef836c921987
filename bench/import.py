"""Import speed: N generated planning documents (default 1,000), from tests/fixtures/import.

Prints, as wall-clock and CPU seconds,
- the time of one `lessonkit import` over the folder of N plans (reading, YAML, curriculum);
- the time of `lessonkit validate` on the N `.md` plans (imported in memory);
- the time of `lessonkit validate` on the N imported YAML lessons and their reviews.

Each plan is the clean fixture plan with its own id; the course around them is the fixture
course. Usage: python bench/import.py [N]
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "import"
LESSONKIT = Path(sys.executable).parent / "lessonkit"


def timed(*args: str, cwd: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one `lessonkit` run. On a shared machine
    the wall clock includes waiting for a core; the CPU time is the work itself."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(LESSONKIT), *args], cwd=cwd, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    clean = (FIXTURES / "plans" / "01-clean.md").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "course"
        shutil.copytree(FIXTURES / "project", project)
        plans = project / "plans"
        plans.mkdir()
        for number in range(count):
            text = clean.replace("adding-fractions", f"adding-fractions-{number}", 1)
            (plans / f"plan-{number}.md").write_text(text, encoding="utf-8")
        wall, cpu = timed("import", "plans", cwd=project)
        print(
            f"import of {count} plans: {wall:.2f} s ({wall / count * 1000:.1f} ms each); "
            f"CPU {cpu:.2f} s ({cpu / count * 1000:.1f} ms each)"
        )
        wall, cpu = timed("validate", "plans", cwd=project)
        print(f"validate on the {count} .md plans: {wall:.2f} s; CPU {cpu:.2f} s")
        wall, cpu = timed("validate", "lessons", "reviews", cwd=project)
        print(f"validate on the imported YAML: {wall:.2f} s; CPU {cpu:.2f} s")


if __name__ == "__main__":
    main()
