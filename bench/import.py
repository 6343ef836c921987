"""Import speed: N generated planning documents (default 1,000), from tests/fixtures/import.

Prints
- the time of one `lessonkit import` over the folder of N plans (reading, YAML, curriculum);
- the time of `lessonkit validate` on the N `.md` plans (imported in memory);
- the time of `lessonkit validate` on the N imported YAML lessons and their reviews.

Each plan is the clean fixture plan with its own id; the course around them is the fixture
course. Usage: python bench/import.py [N]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "import"
LESSONKIT = Path(sys.executable).parent / "lessonkit"


def timed(*args: str, cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run([str(LESSONKIT), *args], cwd=cwd, capture_output=True, check=False)
    return time.perf_counter() - start


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
        seconds = timed("import", "plans", cwd=project)
        print(f"import of {count} plans: {seconds:.2f} s ({seconds / count * 1000:.1f} ms each)")
        md = timed("validate", "plans", cwd=project)
        print(f"validate on the {count} .md plans: {md:.2f} s")
        yaml = timed("validate", "lessons", "reviews", cwd=project)
        print(f"validate on the imported YAML: {yaml:.2f} s")


if __name__ == "__main__":
    main()
