"""The first five minutes of a new course: `lessonkit init`, `new` starting modules and
writing the schemas editors load, the same option names everywhere, and colour on terminals."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner
from click.testing import Result as CliResult

from lessonkit import __version__
from lessonkit.authoring.init import config_text
from lessonkit.check.settings import project_settings
from lessonkit.cli import main
from lessonkit.core.project import open_project
from lessonkit.schemas import Config

from support import REPO, copy_reference, git, run_cli, validate_course

BIN = Path(sys.executable).parent
CHECK = BIN / "check-jsonschema"
PRE_COMMIT = BIN / "pre-commit"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

WRITTEN = [
    "lessonkit.toml",
    "lessons/curriculum.yaml",
    "lessons/introduction.yaml",
    "reviews/.gitkeep",
    "notebooks/.gitkeep",
    "schemas/lesson.schema.json",
    "schemas/review.schema.json",
    "schemas/curriculum.schema.json",
    "schemas/glossary.schema.json",
    "schemas/config.schema.json",
    ".pre-commit-config.yaml",
    ".github/workflows/lessons.yml",
    ".gitignore",
    "README.md",
]


def invoke(
    *args: str, cwd: Path, tty: bool = False, env: dict[str, str] | None = None
) -> CliResult:
    """`lessonkit ARGS` in-process; `tty` makes click treat the output as a terminal."""
    with contextlib.chdir(cwd):
        return CliRunner().invoke(main, list(args), color=tty, env=env, catch_exceptions=False)


def start_course(folder: Path, *extra: str) -> CliResult:
    """`lessonkit init` in a new, empty git repository at `folder`."""
    folder.mkdir(parents=True)
    git(folder, "init", "-q", "-b", "main")
    result = run_cli("init", *extra, cwd=folder)
    assert result.exit_code == 0, result.output
    return result


def check_schema(schema: str | Path, *files: Path) -> None:
    """check-jsonschema with a schema file or one of its built-in schemas (`vendor.*`)."""
    chosen = ["--builtin-schema", schema] if str(schema).startswith("vendor.") else None
    command = [str(CHECK), *(chosen or ["--schemafile", str(schema)]), *map(str, files)]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course just made by `init`, then `new` for a second lesson in a new module; tests
    that use it only read it."""
    folder = tmp_path_factory.mktemp("started") / "course"
    start_course(folder, "--title", "Machine Learning, Gently")
    second = run_cli(
        "new", "tensors", "--module", "1.2", "--module-title", "Tensors", "--type", "BUILD",
        cwd=folder,
    )  # fmt: skip
    assert second.exit_code == 0, second.output
    assert second.output == "lessons/tensors.yaml\nlessons/curriculum.yaml\n"
    return folder


# --- init --------------------------------------------------------------------------------------


def test_init_writes_the_course_and_validate_reports_only_the_scaffold_todos(
    tmp_path: Path,
) -> None:
    result = start_course(tmp_path / "course")
    assert result.stdout.splitlines() == WRITTEN
    assert "kept" not in result.stderr
    folder = tmp_path / "course"
    validated = invoke("validate", "--format", "json", cwd=folder)
    assert validated.exit_code == 0, validated.output
    report = json.loads(validated.stdout)
    assert {d["code"] for d in report["diagnostics"]} == {"W005"}
    assert report["summary"]["errors"] == 0 and report["summary"]["files"] == 2
    assert all(d["path"] == "lessons/introduction.yaml" for d in report["diagnostics"])


def test_after_init_and_new_the_course_validates_and_renders(course: Path) -> None:
    validated = invoke("validate", "--format", "json", cwd=course)
    assert validated.exit_code == 0, validated.output
    report = json.loads(validated.stdout)
    assert {d["code"] for d in report["diagnostics"]} == {"W005"}
    assert {d["path"] for d in report["diagnostics"]} == {
        "lessons/introduction.yaml",
        "lessons/tensors.yaml",
    }
    curriculum = yaml.safe_load((course / "lessons" / "curriculum.yaml").read_text("utf-8"))
    assert curriculum["title"] == "Machine Learning, Gently"
    modules = curriculum["series"][0]["modules"]
    assert [(m["id"], m["title"], m["lessons"]) for m in modules] == [
        ("1.1", "Module 1.1", ["introduction"]),
        ("1.2", "Tensors", ["tensors"]),
    ]

    out = course.parent / "site"
    rendered = invoke("render", "-o", str(out), cwd=course)
    assert rendered.exit_code == 0, rendered.output
    assert rendered.stdout.startswith("Rendered ")
    assert (out / "index.html").is_file()
    assert (out / "lessons" / "tensors.html").is_file()


@pytest.mark.slow
def test_every_file_init_writes_validates_against_its_schema(course: Path) -> None:
    schemas = course / "schemas"
    check_schema(schemas / "lesson.schema.json", course / "lessons" / "introduction.yaml")
    check_schema(schemas / "curriculum.schema.json", course / "lessons" / "curriculum.yaml")
    check_schema(schemas / "config.schema.json", course / "lessonkit.toml")
    check_schema("vendor.github-workflows", course / ".github" / "workflows" / "lessons.yml")
    # the schemas themselves, against the JSON Schema metaschema
    metaschema = [str(CHECK), "--check-metaschema", *map(str, sorted(schemas.glob("*.json")))]
    assert subprocess.run(metaschema, capture_output=True, check=False).returncode == 0
    # pre-commit's own check of its configuration file
    checked = subprocess.run(
        [str(PRE_COMMIT), "validate-config", ".pre-commit-config.yaml"],
        cwd=course,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_workflow_validates_pull_requests_and_renders_main(course: Path) -> None:
    workflow = yaml.safe_load((course / ".github/workflows/lessons.yml").read_text("utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"pull_request", "push"}
    assert triggers["push"]["branches"] == ["main"]
    assert set(workflow["jobs"]) == {"validate", "render"}

    validate = workflow["jobs"]["validate"]
    action = [step for step in validate["steps"] if step.get("uses", "").startswith("lessonkit/")]
    assert [step["uses"] for step in action] == [f"lessonkit/lessonkit@v{__version__}"]
    inputs = yaml.safe_load((REPO / "action.yml").read_text("utf-8"))["inputs"]
    assert set(action[0]["with"]) <= set(inputs)

    render = workflow["jobs"]["render"]
    assert render["needs"] == "validate"
    assert render["if"] == "github.event_name == 'push'"
    commands = [step["run"] for step in render["steps"] if "run" in step]
    assert "lessonkit render -o site" in commands
    assert any(f"lessonkit@v{__version__}" in command for command in commands)


def test_pre_commit_configuration_uses_lessonkits_hook(course: Path) -> None:
    config = yaml.safe_load((course / ".pre-commit-config.yaml").read_text("utf-8"))
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    (repo,) = config["repos"]
    assert repo["repo"] == "https://github.com/lessonkit/lessonkit"
    assert repo["rev"] == f"v{__version__}"
    assert [hook["id"] for hook in repo["hooks"]] == [hooks[0]["id"]]


def test_gitignore_keeps_the_site_out_and_readme_names_the_course(course: Path) -> None:
    ignored = (course / ".gitignore").read_text("utf-8").splitlines()
    assert "/site/" in ignored and ".ipynb_checkpoints/" in ignored
    readme = (course / "README.md").read_text("utf-8")
    assert readme.startswith("# Machine Learning, Gently\n")
    assert "lessonkit validate" in readme and "pre-commit install" in readme


def test_init_never_overwrites_and_says_what_it_kept(tmp_path: Path) -> None:
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "README.md").write_text("# Ours\n", encoding="utf-8")
    (folder / "lessonkit.toml").write_text('ignore = ["W002"]\n', encoding="utf-8")
    (folder / "reviews").mkdir()
    result = run_cli("init", cwd=folder)
    assert result.exit_code == 0, result.output
    assert (folder / "README.md").read_text("utf-8") == "# Ours\n"
    assert (folder / "lessonkit.toml").read_text("utf-8") == 'ignore = ["W002"]\n'
    kept = [line for line in result.stderr.splitlines() if " kept " in line]
    assert kept == [
        "lessonkit: kept lessonkit.toml (exists)",
        "lessonkit: kept reviews/ (exists)",
        "lessonkit: kept README.md (exists)",
    ]
    assert result.stdout.splitlines() == [
        path for path in WRITTEN if path not in ("lessonkit.toml", "reviews/.gitkeep", "README.md")
    ]

    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    again = run_cli("init", cwd=folder)
    assert again.exit_code == 0 and again.stdout == ""
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    assert "lessonkit: kept lessons/curriculum.yaml (exists)" in again.stderr
    assert "lessonkit: kept lessons/introduction.yaml (exists)" in again.stderr


def test_init_leaves_a_course_with_lessons_to_new(tmp_path: Path) -> None:
    course = copy_reference(tmp_path / "course")
    result = run_cli("init", cwd=course)
    assert result.exit_code == 0, result.output
    assert "lessons/introduction.yaml" not in result.stdout
    assert not (course / "lessons" / "introduction.yaml").exists()
    assert "kept lessons/curriculum.yaml (exists)" in result.stderr
    assert "kept lessons/introduction.yaml (the course has begun;" in result.stderr


def test_init_makes_the_folder_and_titles_the_course_after_it(tmp_path: Path) -> None:
    result = run_cli("init", "intro-to-statistics", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    folder = tmp_path / "intro-to-statistics"
    assert result.stdout.splitlines() == [f"intro-to-statistics/{path}" for path in WRITTEN]
    assert "next: cd intro-to-statistics && lessonkit validate" in result.stderr
    curriculum = yaml.safe_load((folder / "lessons" / "curriculum.yaml").read_text("utf-8"))
    assert curriculum["title"] == "Intro to statistics"
    assert open_project(folder).root == folder.resolve()


def test_init_refuses_a_file_and_a_title_on_two_lines(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("", encoding="utf-8")
    refused = run_cli("init", "taken", cwd=tmp_path)
    assert refused.exit_code == 2 and "'taken' is a file" in refused.output
    result = run_cli("init", "course", "--title", "Two\nlines", cwd=tmp_path)
    assert result.exit_code == 2
    assert "--title takes a title on one line" in result.output


def test_init_follows_a_configuration_in_pyproject(tmp_path: Path) -> None:
    pyproject = '[tool.lessonkit]\nlesson_types = ["LEARN", "PRACTISE"]\n'
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    result = run_cli("init", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "lessonkit: kept lessonkit.toml (pyproject.toml has [tool.lessonkit])" in result.stderr
    assert not (tmp_path / "lessonkit.toml").exists()
    lesson = yaml.safe_load((tmp_path / "lessons" / "introduction.yaml").read_text("utf-8"))
    assert lesson["type"] == "LEARN"
    schema = json.loads((tmp_path / "schemas" / "lesson.schema.json").read_text("utf-8"))
    assert schema["properties"]["type"]["enum"] == ["LEARN", "PRACTISE"]
    assert codes_reported(tmp_path) == {"W005"}


def codes_reported(folder: Path) -> set[str]:
    """The codes `lessonkit validate` reports in `folder`, which must pass."""
    result = invoke("validate", "--format", "json", cwd=folder)
    assert result.exit_code == 0, result.output
    return {d["code"] for d in json.loads(result.stdout)["diagnostics"]}


def test_init_below_a_repository_root_says_where_github_looks(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    result = run_cli("init", "course", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert f"the git repository's root is {tmp_path.resolve()}: GitHub runs only" in result.stderr


def test_the_configuration_shows_every_option_and_each_line_is_valid() -> None:
    text = config_text()
    assert tomllib.loads(text) == {}  # every option commented out: the defaults hold
    for name in Config.model_fields:
        assert re.search(rf"^# (\[)?{name}\b", text, re.MULTILINE), name
    uncommented = "\n".join(
        line[2:] if re.match(r"# (\w+ = |\[)", line) else line for line in text.splitlines()
    )
    table = tomllib.loads(uncommented)
    assert set(table) == set(Config.model_fields)
    config = Config.model_validate(table)
    assert config.rules == {"P007": {"by_type": {"CONSOLIDATE": 2}}}


def test_the_uncommented_configuration_passes_the_rules_own_checks(tmp_path: Path) -> None:
    text = "\n".join(
        line[2:] if re.match(r"# (\w+ = |\[)", line) else line
        for line in config_text().splitlines()
    )
    (tmp_path / "lessonkit.toml").write_text(text, encoding="utf-8")
    project_settings(open_project(tmp_path))  # raises ConfigError on a bad rule option


# --- new ---------------------------------------------------------------------------------------


def test_new_adds_a_module_to_the_reference_curriculum_in_number_order(tmp_path: Path) -> None:
    course = copy_reference(tmp_path / "course")
    curriculum = course / "lessons" / "curriculum.yaml"
    before = curriculum.read_text(encoding="utf-8")
    result = run_cli(
        "new", "datasets", "--module", "1.4", "--module-title", "Data Pipelines", "--type",
        "BUILD", cwd=course,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == ["lessons/datasets.yaml", "lessons/curriculum.yaml"]
    assert curriculum.read_text(encoding="utf-8") == before.replace(
        "          - overfitting-and-regularization\n",
        "          - overfitting-and-regularization\n"
        '      - id: "1.4"\n'
        '        title: "Data Pipelines"\n'
        "        lessons:\n"
        "          - datasets\n",
    )
    lesson = yaml.safe_load((course / "lessons" / "datasets.yaml").read_text("utf-8"))
    assert (lesson["module"], lesson["position"]) == ("1.4", 1)
    # the student state is what the records teach up to the end of module 1.3
    ledger = validate_course(course).course.ledger  # type: ignore[union-attr]
    assert (
        ledger.order.index("datasets") == ledger.order.index("overfitting-and-regularization") + 1
    )
    sources = {row.get("source") for row in lesson["student_state"]["concepts"]}
    assert "overfitting-and-regularization" in sources and "tensors" not in sources
    found = {(d.code, d.path) for d in validate_course(course).diagnostics}
    # the neighbours' explicit next/previous links still skip the new lesson: C005 says so
    assert found == {
        ("W005", "lessons/datasets.yaml"),
        ("C005", "lessons/overfitting-and-regularization.yaml"),
        ("C005", "lessons/tensors.yaml"),
    }


def test_new_module_without_a_title_names_the_flag(tmp_path: Path) -> None:
    course = copy_reference(tmp_path / "course")
    result = run_cli("new", "datasets", "--module", "2.2", "--type", "BUILD", cwd=course)
    assert result.exit_code == 2
    assert result.stderr == (
        "lessonkit: module 2.2 is not in curriculum.yaml; "
        "give --module-title TITLE to add it there\n"
    )
    assert not (course / "lessons" / "datasets.yaml").exists()
    assert not (course / "schemas").exists()


def test_new_in_an_empty_folder_writes_the_lesson_and_its_schemas(tmp_path: Path) -> None:
    (tmp_path / "lessonkit.toml").write_text("", encoding="utf-8")
    result = run_cli("new", "first-steps", "--module", "1.1", "--type", "BUILD", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "lessons/first-steps.yaml",
        "schemas/lesson.schema.json",
        "schemas/review.schema.json",
        "schemas/curriculum.schema.json",
        "schemas/glossary.schema.json",
        "schemas/config.schema.json",
    ]
    assert {d.code for d in validate_course(tmp_path).diagnostics} == {"W005"}
    check_schema(tmp_path / "schemas" / "lesson.schema.json", tmp_path / "lessons/first-steps.yaml")

    titled = run_cli(
        "new", "second-steps", "--module", "1.2", "--module-title", "More", "--type", "BUILD",
        cwd=tmp_path,
    )  # fmt: skip
    assert titled.exit_code == 0, titled.output
    assert titled.stderr == (
        "lessonkit: no curriculum.yaml: lessons are ordered by module and position; "
        "--module-title unused\n"
    )
    assert not (tmp_path / "lessons" / "curriculum.yaml").exists()


def test_new_refreshes_a_stale_schema_and_leaves_current_ones(tmp_path: Path) -> None:
    (tmp_path / "lessonkit.toml").write_text("", encoding="utf-8")
    assert run_cli("new", "one", "--module", "1.1", "--type", "BUILD", cwd=tmp_path).exit_code == 0
    (tmp_path / "lessonkit.toml").write_text('lesson_types = ["LEARN", "PRACTISE"]\n', "utf-8")
    result = run_cli("new", "two", "--module", "1.1", "--type", "LEARN", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    # only the lesson schema carries the lesson types: the other three are current and kept
    assert result.stdout.splitlines() == ["lessons/two.yaml", "schemas/lesson.schema.json"]
    schema = json.loads((tmp_path / "schemas" / "lesson.schema.json").read_text("utf-8"))
    assert schema["properties"]["type"]["enum"] == ["LEARN", "PRACTISE"]


# --- options and colour ------------------------------------------------------------------------


def test_validate_writes_its_report_with_dash_o_and_keeps_the_old_spelling(course: Path) -> None:
    for option in ("-o", "--output", "--output-file"):
        target = course.parent / f"report{option}.json"
        result = invoke("validate", "--format", "json", option, str(target), cwd=course)
        assert result.exit_code == 0 and result.stdout == ""
        assert json.loads(target.read_text("utf-8"))["summary"]["errors"] == 0
    shown = invoke("validate", "--help", cwd=course).stdout
    assert "-o, --output FILE" in shown and "--output-file" not in shown
    for command in ("render", "schema", "serve", "import"):
        assert "-o, --output" in invoke(command, "--help", cwd=course).stdout, command


def test_colour_on_with_color_always_even_off_a_terminal(course: Path) -> None:
    plain = invoke("validate", cwd=course)
    coloured = invoke("validate", "--color", "always", cwd=course)
    assert ANSI.search(coloured.stdout)
    assert click.unstyle(coloured.stdout) == plain.stdout
    first = coloured.stdout.splitlines()[0]
    assert first.startswith("\x1b[1mlessons/introduction.yaml:")  # the location in bold
    assert click.style("W005", fg="yellow", bold=True) in first  # the code: a warning's colour
    count = plain.stdout.splitlines()[-1].removeprefix("Checked 3 files: ").removesuffix(".")
    assert count.endswith(" warnings")
    summary = f"Checked 3 files: {click.style(count, fg='yellow', bold=True)}."
    assert coloured.stdout.splitlines()[-1] == summary


def test_colour_on_a_terminal_by_default(course: Path) -> None:
    result = invoke("validate", cwd=course, tty=True)
    assert click.style("W005", fg="yellow", bold=True) in result.stdout


def test_colour_off_with_no_color_or_never_or_off_a_terminal(course: Path) -> None:
    assert not ANSI.search(invoke("validate", cwd=course, tty=True, env={"NO_COLOR": "1"}).stdout)
    assert not ANSI.search(invoke("validate", "--color", "never", cwd=course, tty=True).stdout)
    assert not ANSI.search(invoke("validate", cwd=course).stdout)
    # an explicit --color always outranks NO_COLOR, as the convention asks
    forced = invoke("validate", "--color", "always", cwd=course, env={"NO_COLOR": "1"})
    assert ANSI.search(forced.stdout)


def test_colour_never_reaches_machine_formats_or_files(course: Path) -> None:
    result = invoke("validate", "--format", "json", "--color", "always", cwd=course, tty=True)
    assert not ANSI.search(result.stdout)
    target = course.parent / "report.txt"
    invoke("validate", "--color", "always", "-o", str(target), cwd=course, tty=True)
    assert not ANSI.search(target.read_text("utf-8"))


def test_a_clean_summary_is_green(tmp_path: Path) -> None:
    (tmp_path / "lessonkit.toml").write_text('ignore = ["W005"]\n', encoding="utf-8")
    assert run_cli("new", "one", "--module", "1.1", "--type", "BUILD", cwd=tmp_path).exit_code == 0
    result = invoke("validate", "--color", "always", cwd=tmp_path)
    assert (
        result.stdout == f"Checked 1 file: {click.style('no problems', fg='green', bold=True)}.\n"
    )


# --- with the real tools -----------------------------------------------------------------------


def _shadow_lessonkit(folder: Path) -> tuple[Path, str]:
    """A git repository holding lessonkit as it is in this working tree (what pre-commit
    installs the hook from), and its commit."""
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(REPO / name, folder / name)
    for name in ("pipeline", "schemas", "templates"):
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(REPO / name, folder / name, ignore=ignore)
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "lessonkit as tested")
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, check=True
    )
    return folder, head.stdout.strip()


@pytest.mark.slow
def test_pre_commit_runs_the_hook_init_configured(tmp_path: Path) -> None:
    folder = tmp_path / "course"
    start_course(folder)
    new = run_cli(
        "new", "tensors", "--module", "1.2", "--module-title", "Tensors", "--type", "BUILD",
        cwd=folder,
    )  # fmt: skip
    assert new.exit_code == 0, new.output
    validated = invoke("validate", "--format", "json", cwd=folder)
    assert validated.exit_code == 0, validated.output
    assert {d["code"] for d in json.loads(validated.stdout)["diagnostics"]} == {"W005"}
    rendered = invoke("render", "-o", str(tmp_path / "site"), cwd=folder)
    assert rendered.exit_code == 0 and (tmp_path / "site" / "index.html").is_file()
    # The configuration points at lessonkit's repository and release; the test points the same
    # configuration at this working tree instead, so the hook under test is the one here.
    shadow = tmp_path / "lessonkit"
    shadow.mkdir()
    repository, commit = _shadow_lessonkit(shadow)
    config = folder / ".pre-commit-config.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("repo: https://github.com/lessonkit/lessonkit", f"repo: {repository}")
    text = text.replace(f"rev: v{__version__}", f"rev: {commit}")
    config.write_text(text, encoding="utf-8")
    git(folder, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    completed = subprocess.run(
        [str(PRE_COMMIT), "run", "--all-files"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert re.search(r"^lessonkit validate\.+Passed$", completed.stdout, re.MULTILINE)

    lesson = folder / "lessons" / "tensors.yaml"
    lesson.write_text(lesson.read_text("utf-8").replace("position: 1", "position: one"), "utf-8")
    git(folder, "add", "-A")
    failed = subprocess.run(
        [str(PRE_COMMIT), "run", "--all-files"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert failed.returncode == 1
    assert "lessons/tensors.yaml:" in failed.stdout and " S002 " in failed.stdout


# yaml-language-server: the npm package, installed by .ci/run into build/yls (or named by
# YAML_LANGUAGE_SERVER); a run without it installs it there with npm first.
YLS_PREFIX = REPO / "build" / "yls"


def _yaml_language_server() -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the yaml-language-server test needs Node.js")
    named = os.environ.get("YAML_LANGUAGE_SERVER")
    script = Path(named) if named else YLS_PREFIX / "node_modules/yaml-language-server/bin"
    script = script / "yaml-language-server" if script.name == "bin" else script
    if not named and not script.is_file():
        npm = shutil.which("npm")
        assert npm is not None, "node is installed but npm is not: install yaml-language-server"
        subprocess.run(
            [npm, "install", "--silent", "--prefix", str(YLS_PREFIX), "yaml-language-server"],
            check=True,
            capture_output=True,
            timeout=600,
        )
    assert script.is_file(), f"yaml-language-server is not at {script}"
    return [node, str(script), "--stdio"]


class LanguageClient:
    """The least of an LSP client over stdio: requests, notifications, and answers to the
    server's own requests (its settings), enough to open documents and read diagnostics."""

    def __init__(self, command: list[str], root: Path) -> None:
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.next_id = 0
        reply = self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "capabilities": {"workspace": {"configuration": True}},
            },
        )
        assert "capabilities" in reply
        self.notify("initialized", {})

    def send(self, message: dict[str, object]) -> None:
        assert self.process.stdin is not None
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self) -> dict[str, object]:
        assert self.process.stdout is not None
        length = None
        while True:
            line = self.process.stdout.readline()
            assert line, "the language server ended"
            if not line.strip():
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        assert length is not None
        message: dict[str, object] = json.loads(self.process.stdout.read(length))
        return message

    def messages(self) -> Iterator[dict[str, object]]:
        """What the server says, its own requests answered on the way."""
        while True:
            message = self.receive()
            if "method" in message and "id" in message:
                self.send({"id": message["id"], "result": self.answer(message)})
                continue
            yield message

    def answer(self, message: dict[str, object]) -> object:
        if message["method"] != "workspace/configuration":
            return None
        params = message["params"]
        assert isinstance(params, dict)
        settings = {"validate": True, "schemaStore": {"enable": False}}  # no network
        return [settings if item.get("section") == "yaml" else None for item in params["items"]]

    def request(self, method: str, params: dict[str, object]) -> dict[str, object]:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        for message in self.messages():
            if message.get("id") == self.next_id:
                result = message["result"]
                assert isinstance(result, dict)
                return result
        raise AssertionError("unreachable")

    def notify(self, method: str, params: dict[str, object]) -> None:
        self.send({"method": method, "params": params})

    def diagnostics(self, path: Path) -> list[dict[str, object]]:
        """Open `path` and return the first diagnostics the server publishes for it."""
        uri = path.as_uri()
        document = {"uri": uri, "languageId": "yaml", "version": 1, "text": path.read_text("utf-8")}
        self.notify("textDocument/didOpen", {"textDocument": document})
        for message in self.messages():
            params = message.get("params")
            if message.get("method") == "textDocument/publishDiagnostics":
                assert isinstance(params, dict)
                if params["uri"] == uri:
                    found = params["diagnostics"]
                    assert isinstance(found, list)
                    return found
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.mark.slow
def test_yaml_language_server_loads_the_schema_of_a_new_lesson(tmp_path: Path) -> None:
    command = _yaml_language_server()
    course = tmp_path / "course"
    course.mkdir()
    (course / "lessonkit.toml").write_text("", encoding="utf-8")
    assert run_cli("new", "first", "--module", "1.1", "--type", "BUILD", cwd=course).exit_code == 0
    lesson = course / "lessons" / "first.yaml"
    text = lesson.read_text(encoding="utf-8")
    # Two controls: a wrong type in the same file is flagged from the schema (so it was
    # loaded and applies), and the same file where no schema exists gets the load error.
    wrong = course / "lessons" / "wrong-type.yaml"
    wrong.write_text(text.replace("type: BUILD", "type: LECTURE"), encoding="utf-8")
    elsewhere = tmp_path / "unschemed" / "lessons" / "first.yaml"
    elsewhere.parent.mkdir(parents=True)
    elsewhere.write_text(text, encoding="utf-8")

    client = LanguageClient(command, course)
    try:
        assert client.diagnostics(lesson) == []
        flagged = client.diagnostics(wrong)
        unschemed = client.diagnostics(elsewhere)
    finally:
        client.close()
    assert [d["range"] for d in flagged] == [
        {"start": {"line": 7, "character": 6}, "end": {"line": 7, "character": 13}}
    ]
    assert "Value is not accepted" in str(flagged[0]["message"])
    assert any("Unable to load schema" in str(d["message"]) for d in unschemed)
