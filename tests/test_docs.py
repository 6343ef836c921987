"""Generated docs stay in step with the code that generates them."""

from __future__ import annotations

from lessonkit.docs import generate as docgen

from support import REPO


def test_no_generated_file_is_stale() -> None:
    """docs/lesson-format.md, docs/rules.md and schemas/*.schema.json, all at once."""
    stale = [path.relative_to(REPO).as_posix() for path in docgen.stale(REPO)]
    assert not stale, f"stale: {stale}; run `python -m lessonkit.docs.generate`"


def test_every_model_field_is_documented() -> None:
    from lessonkit.schemas import Config, Curriculum, Lesson, Review

    for root in (Lesson, Review, Curriculum, Config):
        for model in docgen.models_under(root):
            assert model.__doc__, f"{model.__name__} has no docstring"
            for name, info in model.model_fields.items():
                assert info.description, f"{model.__name__}.{name} has no description"


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    blocks = readme.split("```")
    commands = [line for line in blocks[3].splitlines()[1:] if line.strip()]
    assert len(commands) == 1, blocks[3]
    assert commands[0].strip() in ci
