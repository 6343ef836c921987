"""Configuration resolved against the rule registry: which rules run, how severely, with which
options. A mistake is a ConfigError that names the key."""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pydantic import ValidationError

from ..core.diagnostics import Severity
from ..core.errors import ConfigError
from ..core.project import Project
from ..core.suggest import did_you_mean
from ..schemas import Config
from . import rules
from .registry import Options, Rule


@dataclass(frozen=True)
class Settings:
    """Configuration resolved against the registry: which rules run, how severely, how."""

    config: Config
    options: Mapping[str, Options]

    def enabled(self, code: str, relative_path: str | None = None) -> bool:
        """Whether `code` is checked (in the file at `relative_path`, for per-path ignores)."""
        chosen = _longest_prefix(code, [*self.config.select, *self.config.extend_select])
        ignored = _longest_prefix(code, self.config.ignore)
        if relative_path is not None:
            for pattern, codes in self.config.per_path_ignores.items():
                if fnmatch.fnmatch(relative_path, pattern):
                    ignored = max(ignored, _longest_prefix(code, codes))
        return chosen > ignored

    def severity(self, code: str) -> Severity:
        level = self.config.severity.get(code)
        return Severity(level) if level else rules.get(code).severity

    @property
    def max_review_iterations(self) -> int:
        """How many review iterations a lesson may have (R004's `maximum`)."""
        options = self.options["R004"]
        assert isinstance(options, rules.reviews.MaximumIterations)
        return options.maximum

    def load_budget(self, lesson_type: str) -> int:
        """How many new concepts a lesson of `lesson_type` may introduce (P007's budget)."""
        options = self.options["P007"]
        assert isinstance(options, rules.pedagogy.LoadBudget)
        return options.budget(lesson_type)

    def options_for(self, rule: Rule) -> Options | None:
        """The rule's options: configured, else its defaults (None for rules without options)."""
        return self.options.get(rule.code)


def settings_for(config: Config, *, where: str = "configuration") -> Settings:
    """Resolve `config` against the registry; ConfigError names each key that does not fit."""
    problems = []
    codes = list(rules.REGISTRY)

    def check_codes(key: str, values: Iterable[str]) -> None:
        for value in values:
            if value not in rules.FAMILIES and not any(code.startswith(value) for code in codes):
                hint = did_you_mean(value, codes)
                problems.append(f"{where}: {key}: '{value}' is not a rule code or prefix{hint}")

    check_codes("select", config.select)
    check_codes("extend_select", config.extend_select)
    check_codes("ignore", config.ignore)
    for pattern, values in config.per_path_ignores.items():
        check_codes(f"per_path_ignores.{pattern}", values)
    check_codes("severity", [code for code in config.severity if code not in rules.REGISTRY])
    options: dict[str, Options] = {}
    for code, table in config.rules.items():
        rule = rules.REGISTRY.get(code)
        if rule is None:
            check_codes("rules", [code])
        elif rule.options is None:
            problems.append(f"{where}: rules.{code}: {code} takes no options")
        else:
            try:
                options[code] = rule.options.model_validate(table)
            except ValidationError as error:
                for item in error.errors(include_url=False):
                    key = ".".join(str(part) for part in item["loc"])
                    problems.append(f"{where}: rules.{code}.{key}: {item['msg']}")
    if problems:
        raise ConfigError("\n".join(problems))
    for code, rule in rules.REGISTRY.items():  # defaults once, not on every rule call
        if rule.options is not None and code not in options:
            options[code] = rule.options()
    return Settings(config, options)


def _longest_prefix(code: str, prefixes: Iterable[str]) -> int:
    """Length of the longest entry of `prefixes` that `code` starts with (0 for none)."""
    return max((len(prefix) for prefix in prefixes if code.startswith(prefix)), default=0)


def project_settings(project: Project) -> Settings:
    """The project's configuration resolved against the registry; ConfigError if it does not fit."""
    return settings_for(project.config, where=project.config_label)


def settings_json(project: Project) -> str:
    """The resolved configuration, with every rule's options, as JSON (`--show-settings`)."""
    settings = project_settings(project)
    options = {
        code: option.model_dump()
        for code, rule in sorted(rules.REGISTRY.items())
        if (option := settings.options_for(rule)) is not None
    }
    document = {
        "root": str(project.root),
        "config_file": str(project.config_file) if project.config_file else None,
        "settings": {**project.config.model_dump(exclude={"rules"}), "rules": options},
        "enabled": sorted(code for code in rules.REGISTRY if settings.enabled(code)),
    }
    return json.dumps(document, indent=2)
