"""Writes to the curriculum: import from and export to the content files.

The import is all-or-nothing: files are validated first (curriculum/content.py), then the
differences with the database are computed, and only then applied in one transaction. Rows are
upserted by slug (resources by owner and URL), renamed through `former_slugs`, and archived,
never deleted, when the files no longer hold them.
"""

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone

from . import linkcheck, queries
from .content import LEVELS, Content, load_content_dir
from .models import (
    Certification,
    LinkStatus,
    Phase,
    Resource,
    ShowcaseProject,
    Skill,
    SkillLevel,
    SlugRedirect,
    Technology,
    Topic,
    Track,
)


def default_content_dir() -> Path:
    return Path(settings.BASE_DIR) / "content" / "curriculum"


@dataclass(frozen=True)
class Kind:
    """How one kind of record maps between the files and its model."""

    name: str
    model: type[models.Model]
    scalars: tuple[str, ...]
    foreign: dict[str, str] = field(default_factory=dict)  # field -> referenced kind
    many: dict[str, str] = field(default_factory=dict)  # m2m field -> referenced kind

    @property
    def label(self) -> str:
        return self.model._meta.verbose_name_plural


KINDS = (
    Kind(
        "technology",
        Technology,
        ("name", "category", "vendor", "url", "status", "former_names", "summary", "note"),
    ),
    Kind(
        "certification",
        Certification,
        ("name", "vendor", "level", "url", "status", "retired_on", "summary", "body"),
        foreign={"successor": "certification"},
    ),
    Kind(
        "skill",
        Skill,
        ("name", "category", "summary", "definition", "real_world", "demonstrate", "position"),
        many={"technologies": "technology", "certifications": "certification"},
    ),
    Kind(
        "track",
        Track,
        ("title", "summary", "status", "source", "hours_per_week", "body", "position"),
    ),
    Kind(
        "phase",
        Phase,
        ("title", "summary", "weeks_min", "weeks_max", "body", "position"),
        foreign={"track": "track", "parent": "phase"},
    ),
    Kind(
        "topic",
        Topic,
        ("title", "summary", "hours", "level", "status", "body", "position"),
        foreign={"phase": "phase"},
        many={"technologies": "technology", "certifications": "certification", "skills": "skill"},
    ),
    Kind(
        "resource",
        Resource,
        ("title", "url", "kind", "provider", "cost", "note", "position"),
    ),
    Kind(
        "project",
        ShowcaseProject,
        ("title", "summary", "level", "body", "position"),
        foreign={"track": "track"},
        many={"technologies": "technology", "skills": "skill"},
    ),
)
KIND = {kind.name: kind for kind in KINDS}


def _canonical(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.1")))
    if isinstance(value, date):
        return value.isoformat()
    return value


def fingerprint(fields: dict[str, Any]) -> str:
    """A stable hash of a record's imported values (to spot edits made after the import)."""
    canonical = {key: _canonical(value) for key, value in fields.items()}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, default=str).encode()).hexdigest()


def _normal(kind: Kind, fields: dict[str, Any]) -> dict[str, Any]:
    """Fields in comparable form: many-to-many references are sets, in sorted order."""
    return {key: sorted(value) if key in kind.many else value for key, value in fields.items()}


# --- The database as records --------------------------------------------------------------------


@dataclass
class Row:
    pk: int
    fields: dict[str, Any]
    archived: bool
    fingerprint: str


def _slug_maps() -> dict[str, dict[int, str]]:
    return {
        kind.name: dict(kind.model.objects.values_list("pk", "slug"))
        for kind in KINDS
        if kind.name != "resource"
    }


def _many_values(kind: Kind, slugs: dict[str, dict[int, str]]) -> dict[int, dict[str, list]]:
    values: dict[int, dict[str, list]] = {}
    for name, target in kind.many.items():
        through = kind.model._meta.get_field(name).remote_field.through
        source_column = f"{kind.model._meta.model_name}_id"
        target_column = f"{KIND[target].model._meta.model_name}_id"
        for source, target_pk in through.objects.values_list(source_column, target_column):
            values.setdefault(source, {}).setdefault(name, []).append(slugs[target][target_pk])
    return values


def database_records() -> dict[str, dict[Any, Row]]:
    """Every curriculum row (archived too) as {kind: {key: Row}}, in the files' vocabulary."""
    slugs = _slug_maps()
    levels: dict[int, dict[str, str]] = {}
    for skill_id, level, steps in SkillLevel.objects.values_list("skill_id", "level", "steps"):
        levels.setdefault(skill_id, {})[level] = steps
    records: dict[str, dict[Any, Row]] = {}
    for kind in KINDS:
        many = _many_values(kind, slugs)
        columns = [*kind.scalars, *(f"{name}_id" for name in kind.foreign)]
        extra = ["topic_id", "skill_id"] if kind.name == "resource" else ["slug"]
        rows = {}
        for values in kind.model.objects.values(
            "pk", "archived_at", "imported_fingerprint", *columns, *extra
        ):
            fields = {name: values[name] for name in kind.scalars}
            for name, target in kind.foreign.items():
                pk = values[f"{name}_id"]
                fields[name] = slugs[target][pk] if pk else None
            for name in kind.many:
                fields[name] = sorted(many.get(values["pk"], {}).get(name, []))
            if kind.name == "skill":
                fields["levels"] = levels.get(values["pk"], {})
            if kind.name == "resource":
                owner_kind = "topic" if values["topic_id"] else "skill"
                owner = slugs[owner_kind][values["topic_id"] or values["skill_id"]]
                fields |= {"owner_kind": owner_kind, "owner": owner}
                key = (owner_kind, owner, fields["url"] or fields["title"])
            else:
                key = values["slug"]
            rows[key] = Row(
                values["pk"],
                fields,
                values["archived_at"] is not None,
                values["imported_fingerprint"],
            )
        records[kind.name] = rows
    return records


# --- Differences --------------------------------------------------------------------------------


@dataclass
class Change:
    kind: str
    key: Any
    action: str  # "create", "update", "archive"
    differences: list[tuple[str, Any, Any]] = field(default_factory=list)
    edited_since_import: bool = False
    renamed_from: str | None = None

    def describe(self) -> str:
        name = self.key if isinstance(self.key, str) else f"{self.key[1]}: {self.key[2]}"
        lines = [f"{self.action} {self.kind} {name}"]
        if self.renamed_from:
            lines[0] += f" (renamed from {self.renamed_from})"
        if self.edited_since_import:
            lines[0] += "  [overwrites an edit made in the admin since the last import]"
        for name, old, new in self.differences:
            lines.append(f"    {name}: {_short(old)} -> {_short(new)}")
        return "\n".join(lines)


def _short(value: Any) -> str:
    text = repr(_canonical(value))
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass
class Plan:
    content: Content
    database: dict[str, dict[Any, Row]]
    changes: list[Change]
    renames: dict[str, dict[str, str]]  # kind -> {old slug: new slug}
    redirects_changed: bool

    def counts(self) -> Counter:
        return Counter(change.action for change in self.changes)

    @property
    def unchanged(self) -> bool:
        return not self.changes and not self.redirects_changed


def _renames(content: Content, database: dict[str, dict[Any, Row]]) -> dict[str, dict[str, str]]:
    """Existing rows whose slug the files changed: {kind: {old: new}}."""
    renames: dict[str, dict[str, str]] = {}
    for (kind, old), new in content.redirects.items():
        rows = database[kind]
        if new not in rows and old in rows and old not in content.records[kind]:
            renames.setdefault(kind, {})[old] = new
    return renames


def _translate(database: dict[str, dict[Any, Row]], renames: dict[str, dict[str, str]]) -> None:
    """Rewrite the database records as if renamed rows already had their new slugs."""
    if not renames:
        return
    for kind in KINDS:
        rows = database[kind.name]
        for row in rows.values():
            for name, target in [*kind.foreign.items(), *kind.many.items()]:
                mapping = renames.get(target, {})
                value = row.fields[name]
                if isinstance(value, list):
                    row.fields[name] = sorted(mapping.get(slug, slug) for slug in value)
                elif value:
                    row.fields[name] = mapping.get(value, value)
            if kind.name == "resource":
                owner_kind = row.fields["owner_kind"]
                row.fields["owner"] = renames.get(owner_kind, {}).get(
                    row.fields["owner"], row.fields["owner"]
                )
        for old, new in renames.get(kind.name, {}).items():
            rows[new] = rows.pop(old)
        if kind.name == "resource":
            database["resource"] = {
                (row.fields["owner_kind"], row.fields["owner"], key[2]): row
                for key, row in rows.items()
            }


def plan_import(content: Content) -> Plan:
    database = database_records()
    renames = _renames(content, database)
    _translate(database, renames)
    changes = []
    for kind in KINDS:
        desired = content.records[kind.name]
        existing = database[kind.name]
        for key, fields in desired.items():
            wanted = _normal(kind, fields)
            row = existing.get(key)
            renamed_from = next(
                (old for old, new in renames.get(kind.name, {}).items() if new == key), None
            )
            if row is None:
                changes.append(Change(kind.name, key, "create"))
                continue
            differences = [
                (name, row.fields.get(name), value)
                for name, value in wanted.items()
                if row.fields.get(name) != value
            ]
            if row.archived:
                differences.insert(0, ("archived", True, False))
            if differences or renamed_from:
                edited = bool(row.fingerprint) and row.fingerprint != fingerprint(row.fields)
                changes.append(Change(kind.name, key, "update", differences, edited, renamed_from))
        for key, row in existing.items():
            if key not in desired and not row.archived:
                changes.append(Change(kind.name, key, "archive"))
    stored = set(SlugRedirect.objects.values_list("kind", "old_slug", "new_slug"))
    wanted_redirects = {(kind, old, new) for (kind, old), new in content.redirects.items()}
    return Plan(content, database, changes, renames, stored != wanted_redirects)


# --- Applying -----------------------------------------------------------------------------------


class _Applier:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.now = timezone.now()
        self.instances: dict[str, dict[Any, models.Model]] = {}

    def load(self, kind: Kind) -> None:
        if kind.name == "resource":
            return
        rows = {obj.slug: obj for obj in kind.model.objects.all()}
        for old, new in self.plan.renames.get(kind.name, {}).items():
            rows[new] = rows.pop(old)
            rows[new].slug = new
        self.instances[kind.name] = rows

    def assign(self, kind: Kind, obj: models.Model, fields: dict[str, Any]) -> None:
        for name in kind.scalars:
            setattr(obj, name, fields[name])
        for name, target in kind.foreign.items():
            if (kind.name, name) == ("certification", "successor"):
                continue  # set in a second pass: the successor may come later in the file
            slug = fields[name]
            setattr(obj, name, self.instances[target][slug] if slug else None)
        obj.archived_at = None
        obj.imported_fingerprint = fingerprint(_normal(kind, fields))

    def save(self, kind: Kind, key: Any, obj: models.Model | None) -> models.Model:
        fields = self.plan.content.records[kind.name][key]
        if obj is None:
            obj = kind.model(slug=key) if kind.name != "resource" else kind.model()
        if kind.name == "resource":
            owner = self.instances[fields["owner_kind"]][fields["owner"]]
            obj.topic = owner if fields["owner_kind"] == "topic" else None
            obj.skill = owner if fields["owner_kind"] == "skill" else None
        self.assign(kind, obj, fields)
        obj.save()
        for name, target in kind.many.items():
            getattr(obj, name).set([self.instances[target][slug] for slug in fields[name]])
        if kind.name == "skill":
            self.save_levels(obj, fields["levels"])
        if kind.name != "resource":
            self.instances[kind.name][key] = obj
        return obj

    def save_levels(self, skill: Skill, levels: dict[str, str]) -> None:
        for level in LEVELS:
            SkillLevel.objects.update_or_create(
                skill=skill, level=level, defaults={"steps": levels[level]}
            )

    def run(self) -> None:
        by_kind: dict[str, list[Change]] = {}
        for change in self.plan.changes:
            by_kind.setdefault(change.kind, []).append(change)
        for kind in KINDS:
            self.load(kind)
            changes = by_kind.get(kind.name, [])
            if kind.name == "phase":  # parents first
                records = self.plan.content.records["phase"]
                changes.sort(key=lambda c: c.action == "archive" or bool(records[c.key]["parent"]))
            self.apply(kind, changes)
        self.link_successors(by_kind.get("certification", []))
        if self.plan.redirects_changed:
            self.sync_redirects()

    def apply(self, kind: Kind, changes: list[Change]) -> None:
        existing = self.plan.database[kind.name]
        for change in changes:
            if change.action == "archive":
                kind.model.objects.filter(pk=existing[change.key].pk).update(archived_at=self.now)
                continue
            obj = None
            if change.action == "update":
                obj = (
                    kind.model.objects.get(pk=existing[change.key].pk)
                    if kind.name == "resource"
                    else self.instances[kind.name][change.key]
                )
            self.save(kind, change.key, obj)

    def link_successors(self, changes: list[Change]) -> None:
        certifications = self.instances["certification"]
        records = self.plan.content.records["certification"]
        for change in changes:
            if change.action == "archive":
                continue
            certification = certifications[change.key]
            successor = records[change.key]["successor"]
            certification.successor = certifications[successor] if successor else None
            certification.save(update_fields=["successor"])

    def sync_redirects(self) -> None:
        SlugRedirect.objects.all().delete()
        SlugRedirect.objects.bulk_create(
            SlugRedirect(kind=kind, old_slug=old, new_slug=new)
            for (kind, old), new in sorted(self.plan.content.redirects.items())
        )


# --- Content stamp ----------------------------------------------------------------------------


def content_stamp_bump() -> None:
    """Give the catalogue a new content stamp (queries.content_stamp) once the current
    transaction commits: the curriculum API's ETags and cached list pages then change, so the
    next read shows the write. Not before the commit, or a read in between would file the old
    rows under the new stamp; outside a transaction (autocommit) it renews at once. Every write
    to that content calls it: the imports (curriculum, exams, questions, GIFT), the link checks,
    and the admins of curriculum and exam content (admin.ContentStampAdminMixin, after the
    admin's own transaction). Registered once per transaction however many rows change (a
    rolled-back savepoint drops its registration with its rows, and a later write registers
    again)."""
    connection = transaction.get_connection()
    pending = connection.in_atomic_block and any(
        isinstance(entry[1], _StampRenewal) and not entry[1].ran
        for entry in connection.run_on_commit
    )
    if not pending:
        transaction.on_commit(_StampRenewal())


class _StampRenewal:
    ran = False

    def __call__(self) -> None:
        self.ran = True
        cache.set(queries.CONTENT_STAMP_KEY, queries.new_content_stamp(), timeout=None)


@dataclass
class ImportReport:
    plan: Plan
    applied: bool

    @property
    def changes(self) -> list[Change]:
        return self.plan.changes

    @property
    def unchanged(self) -> bool:
        return self.plan.unchanged

    def counts(self) -> Counter:
        return self.plan.counts()


def curriculum_import(*, path: Path | None = None, dry_run: bool = False) -> ImportReport:
    """Validate every content file under `path`, then bring the database in line with them.

    Raises ContentInvalid (with file, line and reason for every problem) before writing anything.
    Unchanged files write nothing; `dry_run` computes the plan and writes nothing either.
    """
    content = load_content_dir(path or default_content_dir())
    with transaction.atomic():
        plan = plan_import(content)
        if dry_run or plan.unchanged:
            return ImportReport(plan, applied=False)
        _Applier(plan).run()
        content_stamp_bump()
    return ImportReport(plan, applied=True)


# --- Export -----------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    return dumper.represent_float(float(value))


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(Decimal, _represent_decimal)


def dump_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)


def _compact(data: dict[str, Any], always: tuple[str, ...] = ()) -> dict[str, Any]:
    """Drop empty optional values so exported files stay as lean as hand-written ones."""
    return {
        key: value
        for key, value in data.items()
        if key in always or value not in (None, "", [], {})
    }


class _Exporter:
    def __init__(self) -> None:
        records = database_records()
        self.records = {
            kind: {key: row.fields for key, row in rows.items() if not row.archived}
            for kind, rows in records.items()
        }
        self.former: dict[tuple[str, str], list[str]] = {}
        for kind, old, new in SlugRedirect.objects.order_by("old_slug").values_list(
            "kind", "old_slug", "new_slug"
        ):
            self.former.setdefault((kind, new), []).append(old)

    def ordered(self, kind: str, **match: Any) -> list[tuple[Any, dict]]:
        rows = [
            (key, fields)
            for key, fields in self.records[kind].items()
            if all(fields.get(name) == value for name, value in match.items())
        ]
        return sorted(rows, key=lambda item: (item[1].get("position", 0), str(item[0])))

    def resources(self, owner_kind: str, owner: str) -> list[dict]:
        return [
            _compact(
                {
                    name: fields[name]
                    for name in ("title", "url", "kind", "provider", "cost", "note")
                },
                always=("title", "kind", "cost"),
            )
            for _key, fields in self.ordered("resource", owner_kind=owner_kind, owner=owner)
        ]

    @staticmethod
    def weeks(fields: dict) -> Any:
        low, high = fields["weeks_min"], fields["weeks_max"]
        return low if low == high else [low, high]

    def topic(self, slug: str, fields: dict) -> dict:
        return _compact(
            {
                "slug": slug,
                "title": fields["title"],
                "summary": fields["summary"],
                "hours": fields["hours"],
                "level": fields["level"],
                "status": fields["status"],
                "former_slugs": self.former.get(("topic", slug), []),
                "technologies": fields["technologies"],
                "certifications": fields["certifications"],
                "skills": fields["skills"],
                "body": fields["body"],
                "resources": self.resources("topic", slug),
            }
        )

    def phase(self, slug: str, fields: dict) -> dict:
        return _compact(
            {
                "slug": slug,
                "title": fields["title"],
                "summary": fields["summary"],
                "weeks": self.weeks(fields),
                "former_slugs": self.former.get(("phase", slug), []),
                "body": fields["body"],
                "phases": [
                    self.phase(child, child_fields)
                    for child, child_fields in self.ordered("phase", parent=slug)
                ],
                "topics": [
                    self.topic(topic, topic_fields)
                    for topic, topic_fields in self.ordered("topic", phase=slug)
                ],
            }
        )

    def track(self, slug: str, fields: dict) -> dict:
        return {
            "track": _compact(
                {
                    "slug": slug,
                    "title": fields["title"],
                    "summary": fields["summary"],
                    "status": fields["status"],
                    "source": fields["source"],
                    "hours_per_week": fields["hours_per_week"],
                    "former_slugs": self.former.get(("track", slug), []),
                    "body": fields["body"],
                    "phases": [
                        self.phase(phase, phase_fields)
                        for phase, phase_fields in self.ordered("phase", track=slug, parent=None)
                    ],
                },
                always=("phases",),
            )
        }

    def catalog(self, kind: str, names: tuple[str, ...]) -> list[dict]:
        items = []
        for slug, fields in self.ordered(kind):
            item = {"slug": slug}
            for name in names:
                if name == "resources":
                    item[name] = self.resources(kind, slug)
                elif name == "levels":
                    item[name] = {level: fields["levels"].get(level, "") for level in LEVELS}
                else:
                    item[name] = fields[name]
            items.append(_compact(item))
        return items

    def files(self) -> dict[str, str]:
        files = {
            f"tracks/{slug}.yaml": dump_yaml(self.track(slug, fields))
            for slug, fields in self.ordered("track")
        }
        catalogs = {
            "technologies": (
                "technology",
                ("name", "category", "vendor", "url", "status", "former_names", "summary", "note"),
            ),
            "certifications": (
                "certification",
                (
                    "name",
                    "vendor",
                    "level",
                    "url",
                    "status",
                    "retired_on",
                    "successor",
                    "summary",
                    "body",
                ),
            ),  # fmt: skip
            "skills": (
                "skill",
                (
                    "name",
                    "category",
                    "summary",
                    "definition",
                    "real_world",
                    "levels",
                    "demonstrate",
                    "technologies",
                    "certifications",
                    "resources",
                ),
            ),  # fmt: skip
            "projects": (
                "project",
                ("title", "summary", "level", "track", "technologies", "skills", "body"),
            ),
        }
        for key, (kind, names) in catalogs.items():
            items = self.catalog(kind, names)
            if items:
                files[f"{key}.yaml"] = dump_yaml({key: items})
        return files


def curriculum_export(*, path: Path | None = None) -> tuple[list[Path], list[Path]]:
    """Write the current (not archived) curriculum as content files under `path`.

    Returns (written, removed): other .yaml files under `path` are removed, since the export is
    the whole curriculum and a stale file would bring archived records back on the next import.
    """
    root = path or default_content_dir()
    files = _Exporter().files()
    written = []
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    removed = [
        stale
        for stale in sorted(root.rglob("*.yaml"))
        if stale.relative_to(root).as_posix() not in files
    ]
    for stale in removed:
        stale.unlink()
    return written, removed


# --- Link health ---
# Owned by the link checker (curriculum/linkcheck.py, curriculum/tasks.py).

# The periodic check runs daily; a row checked less than this long ago is not checked again, so
# a task that runs twice (a redelivery, a manual run) does not hit every site twice.
LINK_CHECK_STALE_AFTER = timedelta(hours=12)


@dataclass(frozen=True)
class LinkCheckSummary:
    checked: int = 0
    ok: int = 0
    broken: int = 0

    def __str__(self) -> str:
        return f"{self.checked} links checked: {self.ok} working, {self.broken} broken"


def resource_links_check(
    *,
    resource_ids: Iterable[int] | None = None,
    stale_after: timedelta | None = LINK_CHECK_STALE_AFTER,
    options: linkcheck.LinkCheckOptions | None = None,
) -> LinkCheckSummary:
    """Check resource URLs and record each one's status, HTTP status, error and check time.

    With `resource_ids` (the admin's "Re-check links"), those resources are checked whatever
    their last check; otherwise every current resource with a URL not checked within
    `stale_after`, the stalest first. Resources without an http(s) URL are skipped. The requests
    run outside any transaction; a resource whose URL changed meanwhile is left for the next
    check rather than given the old URL's verdict.
    """
    if resource_ids is not None:
        stale_after = None
    resources = queries.resources_due_for_link_check(
        resource_ids=resource_ids, stale_after=stale_after
    )
    due = list(resources.values_list("pk", "url"))
    verdicts = linkcheck.check_urls([url for _, url in due], options)
    return _link_verdicts_record(ids=[pk for pk, _ in due], verdicts=verdicts)


def _link_verdicts_record(
    *, ids: list[int], verdicts: dict[str, linkcheck.LinkVerdict]
) -> LinkCheckSummary:
    checked_at = timezone.now()
    counts = Counter()
    with transaction.atomic():
        for resource in Resource.objects.select_for_update().filter(pk__in=ids).order_by("pk"):
            verdict = verdicts.get(resource.url)
            if verdict is None:
                continue
            resource.link_status = LinkStatus.OK if verdict.ok else LinkStatus.BROKEN
            resource.link_http_status = verdict.http_status
            resource.link_error = verdict.error
            resource.link_checked_at = checked_at
            resource.save(
                update_fields=["link_status", "link_http_status", "link_error", "link_checked_at"]
            )
            counts[resource.link_status] += 1
        if counts:
            content_stamp_bump()  # the API shows link_status and link_checked_at
    ok, broken = counts[LinkStatus.OK], counts[LinkStatus.BROKEN]
    return LinkCheckSummary(checked=ok + broken, ok=ok, broken=broken)
