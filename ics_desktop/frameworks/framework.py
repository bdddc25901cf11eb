"""Maturity frameworks as data: the types, validation of a definition, and the shipped frameworks.

A framework is a matrix of domains, each with numbered capabilities and stage descriptions,
scored on a scale (1 More progress required … 4 Mature) against a set of questions (now, aspire,
realistic). Programmes keep their own copy of the exact version they were scored against.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ics_desktop import limits
from ics_desktop.errors import FrameworkError
from ics_desktop.paths import resource_path

FORMAT = "ics-desktop-framework"
FORMAT_VERSION = 1
DEFAULT_FRAMEWORK_FILE = "ics-baseline-capabilities-2018.json"


@dataclass(frozen=True)
class Capability:
    code: str
    statement: str
    covered: bool = True


@dataclass(frozen=True)
class Domain:
    number: str
    title: str
    capabilities: tuple[Capability, ...]
    stages: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Stage:
    key: str
    title: str
    label: str = ""  # a short heading; the title when empty


@dataclass(frozen=True)
class ScaleLevel:
    level: int
    label: str


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    text: str


@dataclass(frozen=True)
class Framework:
    key: str
    name: str
    version: str
    source: str
    stages: tuple[Stage, ...]
    scale: tuple[ScaleLevel, ...]
    questions: tuple[Question, ...]
    domains: tuple[Domain, ...]

    @property
    def capabilities(self) -> list[Capability]:
        """Every capability, in matrix order."""
        return [c for d in self.domains for c in d.capabilities]

    @property
    def covered_codes(self) -> list[str]:
        return [c.code for c in self.capabilities if c.covered]

    def domain_of(self, code: str) -> Domain:
        for domain in self.domains:
            if any(c.code == code for c in domain.capabilities):
                return domain
        raise KeyError(code)

    def capability(self, code: str) -> Capability:
        for cap in self.capabilities:
            if cap.code == code:
                return cap
        raise KeyError(code)

    def question_keys(self) -> list[str]:
        return [q.key for q in self.questions]

    def scale_label(self, level: int) -> str:
        for item in self.scale:
            if item.level == level:
                return item.label
        return str(level)

    def with_coverage(self, code: str, covered: bool) -> Framework:
        """A copy with one capability marked covered or *not covered on this programme*."""
        domains = tuple(
            replace(
                d,
                capabilities=tuple(replace(c, covered=covered) if c.code == code else c for c in d.capabilities),
            )
            for d in self.domains
        )
        return replace(self, domains=domains)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready definition (the same shape `from_dict` reads)."""
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "key": self.key,
            "name": self.name,
            "version": self.version,
            "source": self.source,
            "stages": [{"key": s.key, "label": s.label, "title": s.title} for s in self.stages],
            "scale": [{"level": s.level, "label": s.label} for s in self.scale],
            "questions": [{"key": q.key, "label": q.label, "text": q.text} for q in self.questions],
            "domains": [
                {
                    "number": d.number,
                    "title": d.title,
                    "stages": {k: list(v) for k, v in d.stages.items()},
                    "capabilities": [
                        {"code": c.code, "statement": c.statement, "covered": c.covered} for c in d.capabilities
                    ],
                }
                for d in self.domains
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


# How long each text of a definition may be (anything else: a title's length).
_TEXT_LIMITS = {"key": limits.NAME, "name": limits.NAME, "version": limits.NAME, "code": limits.NAME,
                "source": limits.LONG_TEXT}  # fmt: skip


class _Checker:
    """Collects every problem in a definition so the user sees them all at once."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def text(self, obj: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = obj.get(key, "" if not required else None)
        if value is None:
            self.errors.append(f"{where}: '{key}' is missing")
            return ""
        if not isinstance(value, str):
            self.errors.append(f"{where}: '{key}' must be text, not {type(value).__name__}")
            return ""
        if required and not value.strip():
            self.errors.append(f"{where}: '{key}' is empty")
        limit = _TEXT_LIMITS.get(key, limits.TITLE)
        if len(value) > limit:
            self.errors.append(f"{where}: '{key}' is {len(value):,} characters long; at most {limit:,} fit")
            return value[:limit]
        return value

    def items(self, obj: dict[str, Any], key: str, where: str, *, may_be_empty: bool = False) -> list[dict[str, Any]]:
        value = obj.get(key)
        if not isinstance(value, list) or (not value and not may_be_empty):
            self.errors.append(f"{where}: '{key}' must be a {'' if may_be_empty else 'non-empty '}list")
            return []
        good = [v for v in value if isinstance(v, dict)]
        if len(good) != len(value):
            self.errors.append(f"{where}: every entry of '{key}' must be an object")
        return good


def framework_from_dict(data: Any) -> Framework:
    """Validate a framework definition and build it; raises FrameworkError listing every problem."""
    if not isinstance(data, dict):
        raise FrameworkError("A framework file must hold a JSON object.")
    check = _Checker()
    if data.get("format") != FORMAT:
        check.errors.append(f"'format' must be \"{FORMAT}\"")
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        check.errors.append("'format_version' must be a whole number")
    elif version > FORMAT_VERSION:
        raise FrameworkError(
            f"This framework was written by a newer version of ICS Desktop (format {version}; "
            f"this version reads up to {FORMAT_VERSION}). Update ICS Desktop to open it."
        )
    key = check.text(data, "key", "framework")
    name = check.text(data, "name", "framework")
    fw_version = check.text(data, "version", "framework")
    source = check.text(data, "source", "framework", required=False)

    stages = []
    # Stages (the maturity matrix's columns) are optional: an outcomes framework scores outcomes without them.
    for i, s in enumerate(check.items(data, "stages", "framework", may_be_empty=True)):
        where = f"stages[{i + 1}]"
        title = check.text(s, "title", where)
        label = check.text(s, "label", where, required=False) or title
        stages.append(Stage(check.text(s, "key", where), title, label))
    stage_keys = {s.key for s in stages}

    scale = []
    for i, s in enumerate(check.items(data, "scale", "framework")):
        level = s.get("level")
        if not isinstance(level, int) or isinstance(level, bool):
            check.errors.append(f"scale[{i + 1}]: 'level' must be a whole number")
            level = 0
        scale.append(ScaleLevel(level, check.text(s, "label", f"scale[{i + 1}]")))
    levels = [s.level for s in scale]
    if scale and levels != list(range(1, len(levels) + 1)):
        check.errors.append(f"scale: levels must run 1, 2, 3 … in order (found {levels})")

    questions = []
    for i, q in enumerate(check.items(data, "questions", "framework")):
        where = f"questions[{i + 1}]"
        questions.append(
            Question(check.text(q, "key", where), check.text(q, "label", where), check.text(q, "text", where))
        )
    qkeys = [q.key for q in questions]
    for dup in sorted({k for k in qkeys if qkeys.count(k) > 1}):
        check.errors.append(f"questions: the key '{dup}' is used more than once")

    domains = []
    codes: list[str] = []
    for i, d in enumerate(check.items(data, "domains", "framework")):
        where = f"domains[{i + 1}]"
        number = d.get("number")
        number_text = str(number) if isinstance(number, (str, int)) and not isinstance(number, bool) else ""
        if not number_text.strip():
            check.errors.append(f"{where}: 'number' is missing")
        title = check.text(d, "title", where)
        raw_stages = d.get("stages", {})
        domain_stages: dict[str, tuple[str, ...]] = {}
        if not isinstance(raw_stages, dict):
            check.errors.append(f"{where}: 'stages' must be an object of stage key → list of text")
        else:
            for skey, bullets in raw_stages.items():
                if skey not in stage_keys:
                    check.errors.append(f"{where}: stage '{skey}' is not one of the framework's stages")
                if not isinstance(bullets, list) or not all(isinstance(b, str) for b in bullets):
                    check.errors.append(f"{where}: stage '{skey}' must be a list of text")
                    continue
                if sum(len(b) for b in bullets) > limits.LONG_TEXT:
                    check.errors.append(f"{where}: stage '{skey}' is longer than {limits.LONG_TEXT:,} characters")
                    continue
                domain_stages[skey] = tuple(bullets)
        caps = []
        for j, c in enumerate(check.items(d, "capabilities", where)):
            cwhere = f"{where}.capabilities[{j + 1}]"
            code = check.text(c, "code", cwhere).strip()
            statement = check.text(c, "statement", cwhere)
            covered = c.get("covered", True)
            if not isinstance(covered, bool):
                check.errors.append(f"{cwhere}: 'covered' must be true or false")
                covered = True
            caps.append(Capability(code, statement, covered))
            codes.append(code)
        domains.append(Domain(number_text, title, tuple(caps), domain_stages))
    for dup in sorted({c for c in codes if c and codes.count(c) > 1}):
        check.errors.append(f"capability code '{dup}' is used more than once")

    if check.errors:
        shown = check.errors[:20]
        more = len(check.errors) - len(shown)
        tail = f"\n  … and {more} more" if more else ""
        raise FrameworkError("The framework is not valid:\n  " + "\n  ".join(shown) + tail)
    return Framework(key, name, fw_version, source, tuple(stages), tuple(scale), tuple(questions), tuple(domains))


def framework_from_json(text: str) -> Framework:
    """Parse and validate a framework from JSON text (nesting, text lengths and Unicode checked first)."""
    from ics_desktop.safe_json import UnsafeJson, loads

    try:
        data = loads(text.removeprefix("\ufeff"), max_string=limits.LONG_TEXT)
    except UnsafeJson as exc:
        reason = str(exc)
        raise FrameworkError(f"The framework {reason if reason.startswith('holds') else 'is ' + reason}.") from None
    return framework_from_dict(data)


def load_framework_file(path: Path) -> Framework:
    """Read a framework JSON file, with a clear message for an unreadable, oversized or invalid one."""
    try:
        size = path.stat().st_size
        if size > limits.FRAMEWORK_FILE_BYTES:
            raise FrameworkError(
                limits.file_too_large(f"The framework file {path.name}", size, limits.FRAMEWORK_FILE_BYTES)
            )
        text = path.read_bytes().decode("utf-8-sig")  # a byte order mark (as Notepad writes) is fine
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else "it is not UTF-8 text"
        raise FrameworkError(f"Cannot read framework file {path}: {detail}.") from None
    return framework_from_json(text)


def default_framework() -> Framework:
    """The ICS baseline capabilities matrix shipped with the app."""
    return load_framework_file(resource_path("frameworks", DEFAULT_FRAMEWORK_FILE))


def shipped_frameworks() -> list[Framework]:
    """Every framework shipped with the app (resources/frameworks), the ICS baseline capabilities first."""
    folder = resource_path("frameworks", DEFAULT_FRAMEWORK_FILE).parent
    others = sorted(p for p in folder.glob("*.json") if p.name != DEFAULT_FRAMEWORK_FILE)
    return [default_framework(), *(load_framework_file(p) for p in others)]
