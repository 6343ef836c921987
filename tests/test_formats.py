"""Output formats as CI systems consume them: GitHub annotations, SARIF, JUnit, several at once."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from junitparser import Failure, JUnitXml

from support import REPO, copy_reference, run_cli

SARIF_SCHEMA = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"  # tests/data/README.md
LESSON = "lessons/training-loop.yaml"


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference curriculum with a diagnostic from every family (S, P, C, W, A, R)."""
    course = copy_reference(tmp_path_factory.mktemp("broken"))
    path = course / LESSON
    text = path.read_text(encoding="utf-8")
    text = text.replace("      addresses: [backward-rebuilds-graph]\n", "")  # P012
    text = text.replace(
        "    - concept: nn.Sequential\n      depth: INTRODUCED",
        "    - concept: nn.Sequential\n      depth: DEVELOPED",
    )  # C002
    text = text.replace("replaces this. You construct", "replaces this — you construct")  # W001
    text = text.replace("notebooks/2-1-4-training-loop.ipynb", "notebooks/missing.ipynb")  # A001
    path.write_text(text, encoding="utf-8")  # and R001/R002: the ready lesson changed
    (course / "lessons" / "notes.yaml").write_text("id: [unclosed\n", encoding="utf-8")  # S001
    return course


def test_every_family_is_present(broken: Path) -> None:
    result = run_cli("validate", "--format", "json", cwd=broken)
    families = {d["code"][0] for d in json.loads(result.output)["diagnostics"]}
    assert families == {"S", "P", "C", "W", "A", "R"}


def test_github_annotations(broken: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli("validate", "--format", "auto", cwd=broken)
    lines = result.output.splitlines()
    assert result.exit_code == 1
    assert (
        "::error file=lessons/training-loop.yaml,line=116,col=14,endLine=116,endColumn=23,"
        "title=C002 depth-exceeds-record::'nn.Sequential' is claimed at DEVELOPED, but nn-module "
        "teaches it to INTRODUCED"
    ) in lines
    warning = next(line for line in lines if "title=P012" in line)
    assert warning.startswith("::warning file=lessons/training-loop.yaml,line=")
    # Properties escape ':' and ','; messages escape '%' and line breaks.
    s001 = next(line for line in lines if "S001" in line)
    assert "title=S001 yaml-syntax::did not find expected '%2C' or ']'" not in s001
    assert "::did not find expected ',' or ']'" in s001
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("# earlier step\n## lessonkit validate\n")
    assert written.count("\n| `") == len(lines) - 1


def test_github_escaping() -> None:
    from lessonkit.output.formats import _github_data, _github_property

    assert _github_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert _github_property("a:b,c") == "a%3Ab%2Cc"


def test_sarif_validates_against_the_official_schema(broken: Path) -> None:
    result = run_cli("validate", "--format", "sarif", cwd=broken)
    log = json.loads(result.output)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(log, schema)
    run = log["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert "P012" in rules and rules["P012"]["help"]["text"].startswith("P012 ")
    families = {result["ruleId"][0] for result in run["results"]}
    assert families == {"S", "P", "C", "W", "A", "R"}
    for item in run["results"]:
        assert run["tool"]["driver"]["rules"][item["ruleIndex"]]["id"] == item["ruleId"]
        region = item["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_sarif_fingerprints_survive_unrelated_edits(broken: Path, tmp_path: Path) -> None:
    import shutil

    def fingerprints(course: Path) -> dict[tuple[str, str], str]:
        log = json.loads(run_cli("validate", "--format", "sarif", cwd=course).output)
        return {
            (r["ruleId"], r["message"]["text"]): r["partialFingerprints"]["lessonkitFinding/v1"]
            for r in log["runs"][0]["results"]
        }

    course = tmp_path / "course"
    shutil.copytree(broken, course)
    before = fingerprints(course)
    path = course / LESSON
    path.write_text("# a new first line moves everything down\n" + path.read_text("utf-8"), "utf-8")
    after = fingerprints(course)
    assert after == before


def test_junit_is_read_by_a_real_consumer(broken: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.xml"
    result = run_cli("validate", "--format", "junit", "--output-file", str(target), cwd=broken)
    assert result.output == ""
    xml = JUnitXml.fromfile(str(target))
    cases = {case.name: case for suite in xml for case in suite}
    checked = len(list((broken / "lessons").glob("*.yaml"))) + len(
        list((broken / "reviews").rglob("*.yaml"))
    )
    assert len(cases) == checked
    failures = [r for r in cases[LESSON].result if isinstance(r, Failure)]
    assert {f.type for f in failures} >= {"P012", "C002", "W001", "A001", "R001"}
    assert cases["lessons/nn-module.yaml"].is_passed
    assert not cases["lessons/notes.yaml"].is_passed


def test_several_outputs_in_one_run(broken: Path, tmp_path: Path) -> None:
    sarif, junit = tmp_path / "out.sarif", tmp_path / "out.xml"
    result = run_cli(
        "validate", "--write", f"sarif:{sarif}", "--write", f"junit:{junit}", cwd=broken
    )
    assert result.output.endswith("Checked 19 files: 5 errors, 2 warnings.\n")
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert JUnitXml.fromfile(str(junit))
    bad = run_cli("validate", "--write", "pdf:x.pdf", cwd=broken)
    assert bad.exit_code == 2 and "FORMAT:PATH" in bad.output
