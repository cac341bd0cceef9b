"""Read and validate the curriculum content files (docs/content-format.md).

`load_content_dir()` parses every YAML file under a folder into a `Content`: for each kind of
record, its desired field values keyed by slug, plus where each record was written. Every problem
is collected as a `ContentError` with file, line and reason; nothing here touches the database.
"""

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOP_LEVEL_KEYS = ("track", "technologies", "certifications", "skills", "projects")
LEVELS = ("beginner", "intermediate", "advanced")
STATUSES = ("draft", "published")
RESOURCE_KINDS = ("doc", "course", "book", "video", "article", "project", "certification", "tool")
COSTS = ("free", "free-tier", "paid")
TECHNOLOGY_CATEGORIES = (
    "language", "library", "framework", "platform", "service", "tool", "practice",
)  # fmt: skip
TECHNOLOGY_STATUSES = ("current", "legacy", "discontinued")
CERTIFICATION_LEVELS = (
    "fundamentals", "foundational", "associate", "professional", "specialty", "expert",
    "certificate",
)  # fmt: skip
CERTIFICATION_STATUSES = ("active", "retiring", "retired", "discontinued")
SUMMARY_MAX = 300
HOURS_MAX = Decimal("9999.9")


@dataclass(frozen=True, order=True)
class ContentError:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class ContentInvalid(Exception):
    """The content files have errors; nothing was written."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(error) for error in self.errors))


# --- YAML with line numbers -------------------------------------------------------------------


class Located(dict):
    """A YAML mapping that remembers the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Located:
    mapping = Located()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    duplicates = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in mapping.key_lines:
            duplicates.append((key, line))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    if duplicates:
        key, line = duplicates[0]
        raise yaml.constructor.ConstructorError(
            None, None, f"duplicate key {key!r} (line {line})", node.start_mark
        )
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


# --- The parsed content ----------------------------------------------------------------------


@dataclass
class Content:
    """Desired rows by kind: {kind: {key: fields}}; references inside fields are slugs."""

    records: dict[str, dict[Any, dict[str, Any]]] = field(
        default_factory=lambda: {
            kind: {}
            for kind in (
                "technology",
                "certification",
                "skill",
                "track",
                "phase",
                "topic",
                "resource",
                "project",
            )
        }  # fmt: skip
    )
    redirects: dict[tuple[str, str], str] = field(default_factory=dict)
    where: dict[tuple[str, Any], tuple[str, int]] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)


@dataclass(frozen=True)
class Where:
    """Where a record was written: its file, its first line and the line of each of its keys."""

    file: str
    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Record:
    """Reads one mapping's fields, collecting errors; `done()` reports unknown keys."""

    def __init__(
        self, data: Any, file: str, what: str, errors: list[ContentError], line: int
    ) -> None:
        self.file, self.what, self.errors = file, what, errors
        self.ok = isinstance(data, Located)
        self.data: Located = data if self.ok else Located()
        self.line = self.data.line if self.ok else line
        self.used: set[str] = set()
        if not self.ok:
            self.error(self.line, f"{what} must be a mapping of keys to values")

    def error(self, line: int, reason: str) -> None:
        self.errors.append(ContentError(self.file, line, reason))

    def line_of(self, key: str) -> int:
        return self.data.key_lines.get(key, self.line)

    def raw(self, key: str, required: bool) -> Any:
        self.used.add(key)
        value = self.data.get(key)
        if value is None and required and self.ok:
            self.error(self.line, f"{self.what}: '{key}' is required")
        return value

    def text(self, key: str, required: bool = False, max_length: int | None = None) -> str:
        value = self.raw(key, required)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(self.line_of(key), f"{self.what}: '{key}' must be text")
            return ""
        value = str(value)
        if required and not value.strip():
            self.error(self.line_of(key), f"{self.what}: '{key}' must not be empty")
        if max_length and len(value) > max_length:
            self.error(
                self.line_of(key),
                f"{self.what}: '{key}' is {len(value)} characters, at most {max_length}",
            )
        return value

    def line_text(self, key: str, required: bool = False, max_length: int = SUMMARY_MAX) -> str:
        value = self.text(key, required, max_length)
        if "\n" in value.strip():
            self.error(self.line_of(key), f"{self.what}: '{key}' must be a single line")
        return value.strip()

    def choice(self, key: str, choices: tuple[str, ...], default: str | None = None) -> str:
        value = self.raw(key, default is None)
        if value is None:
            return default or ""
        if value not in choices:
            self.error(
                self.line_of(key),
                f"{self.what}: '{key}' is {value!r}; expected one of {', '.join(choices)}",
            )
            return default or ""
        return value

    def slug(self, key: str = "slug") -> str:
        value = self.raw(key, True)
        if value is None:
            return ""
        if not isinstance(value, str) or not SLUG_RE.match(value) or len(value) > 100:
            self.error(
                self.line_of(key),
                f"{self.what}: slug {value!r} must be lowercase letters, digits and hyphens "
                "(at most 100 characters)",
            )
            return ""
        return value

    def slugs(self, key: str) -> list[str]:
        value = self.raw(key, False)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(self.line_of(key), f"{self.what}: '{key}' must be a list of slugs")
            return []
        slugs = []
        for item in value:
            if not isinstance(item, str) or not SLUG_RE.match(item):
                self.error(self.line_of(key), f"{self.what}: {item!r} in '{key}' is not a slug")
            elif item in slugs:
                self.error(self.line_of(key), f"{self.what}: {item!r} is listed twice in '{key}'")
            else:
                slugs.append(item)
        return slugs

    def names(self, key: str) -> list[str]:
        value = self.raw(key, False)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.error(self.line_of(key), f"{self.what}: '{key}' must be a list of names")
            return []
        return value

    def number(self, key: str, required: bool = True) -> Decimal | None:
        value = self.raw(key, required)
        if value is None:
            return None
        number = _decimal(value)
        if number is None:
            self.error(self.line_of(key), f"{self.what}: '{key}' must be a number, not {value!r}")
        elif number < 0:
            self.error(self.line_of(key), f"{self.what}: '{key}' must not be negative ({value})")
            return None
        elif number > HOURS_MAX or number != number.quantize(Decimal("0.1")):
            self.error(
                self.line_of(key),
                f"{self.what}: '{key}' must have at most one decimal and be below 10000",
            )
            return None
        return number

    def flag(self, key: str) -> bool:
        value = self.raw(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error(self.line_of(key), f"{self.what}: '{key}' must be true or false")
            return False
        return value

    def positive_int(self, key: str, default: int) -> int:
        value = self.raw(key, False)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.error(self.line_of(key), f"{self.what}: '{key}' must be a whole number above 0")
            return default
        return value

    def url(self, key: str, required: bool = False) -> str:
        value = self.raw(key, required)
        if value is None:
            return ""
        if not isinstance(value, str) or not _is_web_url(value):
            self.error(
                self.line_of(key),
                f"{self.what}: '{key}' {value!r} is not an absolute http(s) URL",
            )
            return ""
        return value

    def day(self, key: str) -> date | None:
        value = self.raw(key, False)
        if value is None:
            return None
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = date.fromisoformat(value)
        if not isinstance(value, date):
            self.error(self.line_of(key), f"{self.what}: '{key}' must be a date (YYYY-MM-DD)")
            return None
        return value

    def mapping(self, key: str, required: bool = False) -> "Record":
        value = self.raw(key, required)
        return Record(
            value if value is not None else Located(),
            self.file,
            f"{self.what} {key}",
            self.errors,
            self.line_of(key),
        )

    def items(self, key: str, required: bool = False) -> list[Any]:
        value = self.raw(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(self.line_of(key), f"{self.what}: '{key}' must be a list")
            return []
        return value

    def done(self) -> None:
        for key in self.data:
            if key not in self.used:
                self.error(self.line_of(key), f"{self.what}: unknown key {key!r}")


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _is_web_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


# --- Parsing each kind -------------------------------------------------------------------------


class Parser:
    def __init__(self, content: Content, file: str) -> None:
        self.content, self.file = content, file

    def record(self, data: Any, what: str, line: int) -> Record:
        return Record(data, self.file, what, self.content.errors, line)

    def add(self, kind: str, key: Any, fields: dict[str, Any], line: int, label: str) -> None:
        rows = self.content.records[kind]
        if key in rows:
            first_file, first_line = self.content.where[(kind, key)]
            self.content.errors.append(
                ContentError(
                    self.file,
                    line,
                    f"duplicate {label} {key!r} (first at {first_file}:{first_line})",
                )
            )
            return
        rows[key] = fields
        self.content.where[(kind, key)] = (self.file, line)

    def former_slugs(self, record: Record, kind: str, slug: str) -> list[str]:
        former = record.slugs("former_slugs")
        for old in former:
            if old == slug:
                record.error(record.line_of("former_slugs"), f"{kind} {slug!r} lists itself")
            elif (kind, old) in self.content.redirects:
                record.error(
                    record.line_of("former_slugs"),
                    f"former slug {old!r} is claimed by two {kind}s",
                )
            else:
                self.content.redirects[(kind, old)] = slug
        return former

    def resources(self, record: Record, owner_kind: str, owner: str) -> None:
        for position, item in enumerate(record.items("resources")):
            res = self.record(
                item, f"resource {position + 1} of {owner_kind} {owner!r}", record.line
            )
            title = res.line_text("title", required=True, max_length=200)
            kind = res.choice("kind", RESOURCE_KINDS)
            url = res.url("url", required=kind != "book")
            fields = {
                "title": title,
                "url": url,
                "kind": kind,
                "provider": res.line_text("provider", max_length=120),
                "cost": res.choice("cost", COSTS, default="free"),
                "note": res.line_text("note"),
                "position": position,
                "owner_kind": owner_kind,
                "owner": owner,
            }
            res.done()
            self.add("resource", (owner_kind, owner, url or title), fields, res.line, "resource")

    def technology(self, data: Any, line: int) -> None:
        rec = self.record(data, "technology", line)
        slug = rec.slug()
        fields = {
            "name": rec.line_text("name", required=True, max_length=120),
            "category": rec.choice("category", TECHNOLOGY_CATEGORIES),
            "vendor": rec.line_text("vendor", max_length=80),
            "url": rec.url("url"),
            "status": rec.choice("status", TECHNOLOGY_STATUSES, default="current"),
            "former_names": rec.names("former_names"),
            "summary": rec.line_text("summary", required=True),
            "note": rec.text("note").strip(),
        }
        rec.done()
        if slug:
            self.add("technology", slug, fields, rec.line, "technology slug")

    def certification(self, data: Any, line: int) -> None:
        rec = self.record(data, "certification", line)
        slug = rec.slug()
        fields = {
            "name": rec.line_text("name", required=True, max_length=160),
            "vendor": rec.line_text("vendor", required=True, max_length=80),
            "level": rec.choice("level", CERTIFICATION_LEVELS),
            "url": rec.url("url"),
            "status": rec.choice("status", CERTIFICATION_STATUSES, default="active"),
            "retired_on": rec.day("retired_on"),
            "successor": rec.raw("successor", False) or None,
            "summary": rec.line_text("summary", required=True),
            "body": rec.text("body"),
        }
        if fields["status"] in ("retiring", "retired") and not fields["retired_on"]:
            rec.error(
                rec.line, f"certification {slug!r}: a {fields['status']} one needs retired_on"
            )
        rec.done()
        if slug:
            self.add("certification", slug, fields, rec.line, "certification slug")

    def skill(self, data: Any, line: int, position: int) -> None:
        rec = self.record(data, "skill", line)
        slug = rec.slug()
        levels_rec = rec.mapping("levels", required=True)
        levels = {level: levels_rec.text(level, required=True) for level in LEVELS}
        levels_rec.done()
        fields = {
            "name": rec.line_text("name", required=True, max_length=120),
            "category": rec.line_text("category", required=True, max_length=80),
            "summary": rec.line_text("summary", required=True),
            "definition": rec.text("definition", required=True),
            "real_world": rec.text("real_world", required=True),
            "levels": levels,
            "demonstrate": rec.text("demonstrate", required=True),
            "technologies": rec.slugs("technologies"),
            "certifications": rec.slugs("certifications"),
            "position": position,
        }
        if slug:
            self.resources(rec, "skill", slug)
        else:
            rec.raw("resources", False)
        rec.done()
        if slug:
            self.add("skill", slug, fields, rec.line, "skill slug")

    def project(self, data: Any, line: int, position: int) -> None:
        rec = self.record(data, "project", line)
        slug = rec.slug()
        fields = {
            "title": rec.line_text("title", required=True, max_length=160),
            "summary": rec.line_text("summary", required=True),
            "level": rec.choice("level", LEVELS),
            "track": rec.raw("track", False) or None,
            "technologies": rec.slugs("technologies"),
            "skills": rec.slugs("skills"),
            "body": rec.text("body"),
            "position": position,
        }
        rec.done()
        if slug:
            self.add("project", slug, fields, rec.line, "project slug")

    def track(self, data: Any, line: int, position: int) -> None:
        rec = self.record(data, "track", line)
        slug = rec.slug()
        fields = {
            "title": rec.line_text("title", required=True, max_length=160),
            "summary": rec.line_text("summary", required=True),
            "status": rec.choice("status", STATUSES, default="published"),
            "source": rec.line_text("source", max_length=120),
            "hours_per_week": rec.positive_int("hours_per_week", 10),
            "body": rec.text("body"),
            "position": position,
        }
        self.former_slugs(rec, "track", slug)
        phases = rec.items("phases", required=True)
        rec.done()
        if not slug:
            return
        self.add("track", slug, fields, rec.line, "track slug")
        for index, phase in enumerate(phases):
            self.phase(phase, rec.line_of("phases"), slug, None, index)

    def phase(self, data: Any, line: int, track: str, parent: str | None, position: int) -> None:
        rec = self.record(data, "sub-phase" if parent else "phase", line)
        slug = rec.slug()
        weeks = self.weeks(rec)
        fields = {
            "track": track,
            "parent": parent,
            "title": rec.line_text("title", required=True, max_length=160),
            "summary": rec.line_text("summary", required=True),
            "weeks_min": weeks[0],
            "weeks_max": weeks[1],
            "body": rec.text("body"),
            "position": position,
        }
        self.former_slugs(rec, "phase", slug)
        children = rec.items("phases")
        if parent and children:
            rec.error(rec.line_of("phases"), f"sub-phase {slug!r} may not have phases of its own")
            children = []
        topics = rec.items("topics")
        rec.done()
        if not slug:
            return
        self.add("phase", slug, fields, rec.line, "phase slug")
        for index, child in enumerate(children):
            self.phase(child, rec.line_of("phases"), track, slug, index)
        for index, topic in enumerate(topics):
            self.topic(topic, rec.line_of("topics"), slug, index)

    def weeks(self, rec: Record) -> tuple[Decimal | None, Decimal | None]:
        value = rec.raw("weeks", True)
        if value is None:
            return None, None
        pair = value if isinstance(value, list) else [value, value]
        numbers = [_decimal(item) for item in pair]
        if len(pair) != 2 or None in numbers:
            rec.error(rec.line_of("weeks"), "'weeks' must be a number or [min, max]")
            return None, None
        low, high = numbers
        if low < 0 or high < 0:
            rec.error(rec.line_of("weeks"), f"'weeks' must not be negative ({value})")
            return None, None
        if low > high:
            rec.error(rec.line_of("weeks"), f"'weeks' minimum {low} is above its maximum {high}")
            return None, None
        return low, high

    def topic(self, data: Any, line: int, phase: str, position: int) -> None:
        rec = self.record(data, "topic", line)
        slug = rec.slug()
        hours = rec.number("hours")
        if hours is not None and hours == 0:
            rec.error(rec.line_of("hours"), f"topic {slug!r}: 'hours' must be above 0")
        fields = {
            "phase": phase,
            "title": rec.line_text("title", required=True, max_length=160),
            "summary": rec.line_text("summary", required=True),
            "hours": hours,
            "level": rec.choice("level", LEVELS),
            "status": rec.choice("status", STATUSES, default="published"),
            "technologies": rec.slugs("technologies"),
            "certifications": rec.slugs("certifications"),
            "skills": rec.slugs("skills"),
            "body": rec.text("body"),
            "position": position,
        }
        self.former_slugs(rec, "topic", slug)
        if slug:
            self.resources(rec, "topic", slug)
        else:
            rec.raw("resources", False)
        rec.done()
        if slug:
            self.add("topic", slug, fields, rec.line, "topic slug")

    def parse_file(self, data: Any) -> None:
        if not isinstance(data, Located):
            self.content.errors.append(
                ContentError(
                    self.file, 1, f"expected a mapping with keys {', '.join(TOP_LEVEL_KEYS)}"
                )
            )
            return
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                self.content.errors.append(
                    ContentError(
                        self.file,
                        data.key_lines[key],
                        f"unknown top-level key {key!r}; expected {', '.join(TOP_LEVEL_KEYS)}",
                    )
                )
        if "track" in data:
            self.track(data["track"], data.key_lines["track"], len(self.content.records["track"]))
        for key, method in (
            ("technologies", self.technology),
            ("certifications", self.certification),
        ):
            for item in self._list(data, key):
                method(item, getattr(item, "line", data.key_lines[key]))
        for key, method in (("skills", self.skill), ("projects", self.project)):
            for position, item in enumerate(self._list(data, key)):
                method(item, getattr(item, "line", data.key_lines[key]), position)

    def _list(self, data: Located, key: str) -> list[Any]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.content.errors.append(
                ContentError(self.file, data.key_lines[key], f"'{key}' must be a list")
            )
            return []
        return value


# --- Whole-folder checks ----------------------------------------------------------------------


REFERENCES = {
    # kind: [(field, referenced kind)]
    "certification": [("successor", "certification")],
    "skill": [("technologies", "technology"), ("certifications", "certification")],
    "topic": [
        ("technologies", "technology"),
        ("certifications", "certification"),
        ("skills", "skill"),
    ],
    "project": [("track", "track"), ("technologies", "technology"), ("skills", "skill")],
}


def _check_references(content: Content) -> None:
    for kind, references in REFERENCES.items():
        for key, fields in content.records[kind].items():
            file, line = content.where[(kind, key)]
            for name, target in references:
                value = fields[name]
                for slug in value if isinstance(value, list) else [value] if value else []:
                    if slug not in content.records[target]:
                        content.errors.append(
                            ContentError(
                                file,
                                line,
                                f"{kind} {key!r}: {name} refers to unknown {target} {slug!r}",
                            )
                        )


def _check_redirects(content: Content) -> None:
    for (kind, old), new in content.redirects.items():
        if old in content.records[kind]:
            file, line = content.where[(kind, new)]
            content.errors.append(
                ContentError(file, line, f"former slug {old!r} of {kind} {new!r} is still in use")
            )


def _phase_hours(content: Content) -> dict[str, Decimal]:
    hours: dict[str, Decimal] = dict.fromkeys(content.records["phase"], Decimal(0))
    for topic in content.records["topic"].values():
        if topic["hours"] is not None:
            hours[topic["phase"]] += topic["hours"]
    for slug, phase in content.records["phase"].items():
        if phase["parent"]:
            hours[phase["parent"]] += hours[slug]
    return hours


def _check_durations(content: Content) -> None:
    """Topic hours must fill each phase's weeks at its track's study pace."""
    phases = content.records["phase"]
    tracks = content.records["track"]
    for slug, hours in _phase_hours(content).items():
        phase = phases[slug]
        if phase["weeks_min"] is None:
            continue
        pace = tracks[phase["track"]]["hours_per_week"]
        low, high = phase["weeks_min"] * pace, phase["weeks_max"] * pace
        if not low <= hours <= high:
            file, line = content.where[("phase", slug)]
            content.errors.append(
                ContentError(
                    file,
                    line,
                    f"phase {slug!r}: its topics add up to {hours} hours, but {_weeks(phase)} at "
                    f"{pace} hours a week is {low}-{high} hours",
                )
            )
        children = [child for child in phases.values() if child["parent"] == slug]
        if children and all(child["weeks_min"] is not None for child in children):
            low_sum = sum(child["weeks_min"] for child in children)
            high_sum = sum(child["weeks_max"] for child in children)
            if not (phase["weeks_min"] <= low_sum and high_sum <= phase["weeks_max"]):
                file, line = content.where[("phase", slug)]
                content.errors.append(
                    ContentError(
                        file,
                        line,
                        f"phase {slug!r}: {_weeks(phase)} does not contain its sub-phases' "
                        f"{low_sum}-{high_sum} weeks",
                    )
                )


def _weeks(phase: dict[str, Any]) -> str:
    low, high = phase["weeks_min"], phase["weeks_max"]
    return f"{low} weeks" if low == high else f"{low}-{high} weeks"


def content_files(root: Path) -> Iterator[Path]:
    yield from sorted(path for path in root.rglob("*.yaml") if path.is_file())


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_yaml(path: Path, errors: list[ContentError]) -> Any:
    """Parse one YAML file with line numbers (mappings are `Located`); problems go to `errors`
    and the result is then None."""
    name = display_path(path)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
    except UnicodeDecodeError as error:
        errors.append(ContentError(name, 1, f"not UTF-8 text: {error.reason}"))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        errors.append(ContentError(name, line, f"malformed YAML: {error.problem}"))
    except yaml.YAMLError as error:
        errors.append(ContentError(name, 1, f"malformed YAML: {error}"))
    return None


def load_content_dir(root: Path) -> Content:
    """Parse and validate every YAML file under `root`; raise ContentInvalid on any error."""
    content = Content()
    if not root.is_dir():
        raise ContentInvalid([ContentError(display_path(root), 0, "no such content folder")])
    files = list(content_files(root))
    if not files:
        raise ContentInvalid([ContentError(display_path(root), 0, "no .yaml files found")])
    for path in files:
        errors_before = len(content.errors)
        data = read_yaml(path, content.errors)
        if len(content.errors) > errors_before:
            continue
        Parser(content, display_path(path)).parse_file(data)
    if not content.errors:
        _check_references(content)
        _check_redirects(content)
        _check_durations(content)
    if content.errors:
        raise ContentInvalid(content.errors)
    return content
