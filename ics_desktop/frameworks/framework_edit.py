"""Adapting a framework without code: immutable edit operations on `Framework`.

Every operation takes a framework and returns a new one (the argument is never changed), so an
editor can keep the previous versions for undo and compare against the saved one. Each checks what
it is asked to do and raises `FrameworkError` with a message meant for the facilitator; the result
is then validated as a whole (`framework_from_dict(fw.to_dict())`), exactly as a file would be.

Domains are addressed by their position (0-based `domain_index`), capabilities by their code.
No Qt, no store: these run in a script or a test as they stand.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ics_desktop.errors import FrameworkError
from ics_desktop.frameworks.framework import Capability, Domain, Framework, framework_from_dict

__all__ = [
    "add_capability",
    "add_domain",
    "move_capability",
    "next_domain_number",
    "recode_capability",
    "remove_capability",
    "remove_domain",
    "renumber_domain",
    "reword_capability",
    "set_covered",
    "set_domain_number",
    "set_domain_title",
    "set_identity",
    "set_question",
    "set_scale_label",
    "suggest_code",
]

_MINOR = re.compile(r"^(.*)\.(\d+)$")


# -- helpers ---------------------------------------------------------------------------------------


def _validated(framework: Framework) -> Framework:
    """The framework rebuilt from its definition: the same checks a framework file goes through."""
    return framework_from_dict(framework.to_dict())


def _required(value: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FrameworkError(f"{what} cannot be blank.")
    return value


def _domain(framework: Framework, domain_index: int) -> Domain:
    if not 0 <= domain_index < len(framework.domains):
        raise FrameworkError(
            f"There is no domain {domain_index + 1} (the framework has {len(framework.domains)} domains)."
        )
    return framework.domains[domain_index]


def _locate(framework: Framework, code: str) -> tuple[int, int]:
    """(domain index, position in the domain) of a capability."""
    for d, domain in enumerate(framework.domains):
        for c, capability in enumerate(domain.capabilities):
            if capability.code == code:
                return d, c
    raise FrameworkError(f"There is no capability {code!r} in this framework.")


def _with_domain(framework: Framework, domain_index: int, domain: Domain) -> Framework:
    domains = list(framework.domains)
    domains[domain_index] = domain
    return replace(framework, domains=tuple(domains))


def _with_capability(framework: Framework, code: str, capability: Capability) -> Framework:
    d, c = _locate(framework, code)
    domain = framework.domains[d]
    caps = list(domain.capabilities)
    caps[c] = capability
    return _with_domain(framework, d, replace(domain, capabilities=tuple(caps)))


def _clean_code(code: str) -> str:
    return _required(code, "A capability code").strip()


def _domain_label(domain: Domain) -> str:
    return f"domain {domain.number} ({domain.title})"


# -- suggestions -----------------------------------------------------------------------------------


def suggest_code(framework: Framework, domain_index: int) -> str:
    """The next free code in a domain: 3.3 after 3.1 and 3.2."""
    domain = _domain(framework, domain_index)
    number = domain.number.strip()
    minors = [int(m.group(2)) for c in domain.capabilities if (m := _MINOR.match(c.code)) and m.group(1) == number]
    taken = {c.code for c in framework.capabilities}
    minor = max(minors, default=len(domain.capabilities)) + 1
    while f"{number}.{minor}" in taken:
        minor += 1
    return f"{number}.{minor}"


def next_domain_number(framework: Framework) -> str:
    """The number a new domain gets: one more than the highest whole number in use."""
    numbers = [int(d.number) for d in framework.domains if d.number.strip().isdigit()]
    taken = {d.number.strip() for d in framework.domains}
    candidate = max(numbers, default=len(framework.domains)) + 1
    while str(candidate) in taken:
        candidate += 1
    return str(candidate)


# -- capabilities ----------------------------------------------------------------------------------


def add_capability(
    framework: Framework, domain_index: int, code: str, statement: str, after_code: str | None = None
) -> Framework:
    """A new capability in a domain: after `after_code` (in that domain), or at the domain's end."""
    domain = _domain(framework, domain_index)
    code = _clean_code(code)
    _required(statement, f"The statement of capability {code}")
    if code in {c.code for c in framework.capabilities}:
        raise FrameworkError(f"The code {code} is already used: each capability needs its own code.")
    caps = list(domain.capabilities)
    if after_code is None:
        position = len(caps)
    else:
        d, c = _locate(framework, after_code)
        if d != domain_index:
            raise FrameworkError(f"Capability {after_code} is not in {_domain_label(domain)}.")
        position = c + 1
    caps.insert(position, Capability(code, statement, True))
    return _validated(_with_domain(framework, domain_index, replace(domain, capabilities=tuple(caps))))


def remove_capability(framework: Framework, code: str) -> Framework:
    """Remove a capability (a domain keeps at least one: remove the domain instead)."""
    d, c = _locate(framework, code)
    domain = framework.domains[d]
    if len(domain.capabilities) == 1:
        raise FrameworkError(
            f"{code} is the only capability in {_domain_label(domain)}: a domain needs at least one "
            "(remove the domain instead)."
        )
    caps = domain.capabilities[:c] + domain.capabilities[c + 1 :]
    return _validated(_with_domain(framework, d, replace(domain, capabilities=caps)))


def reword_capability(framework: Framework, code: str, statement: str) -> Framework:
    """Change a capability's statement (kept exactly as typed; it cannot be blank)."""
    _required(statement, f"The statement of capability {code}")
    _locate(framework, code)
    capability = framework.capability(code)
    return _validated(_with_capability(framework, code, replace(capability, statement=statement)))


def recode_capability(framework: Framework, old: str, new: str) -> Framework:
    """Give a capability a new code; refuses a blank code or one already in use."""
    _locate(framework, old)
    new = _clean_code(new)
    if new == old:
        return _validated(framework)
    if new in {c.code for c in framework.capabilities}:
        raise FrameworkError(f"The code {new} is already used: each capability needs its own code.")
    return _validated(_with_capability(framework, old, replace(framework.capability(old), code=new)))


def set_covered(framework: Framework, code: str, covered: bool) -> Framework:
    """Mark a capability covered, or *not covered on this programme*."""
    _locate(framework, code)
    return _validated(framework.with_coverage(code, bool(covered)))


def move_capability(framework: Framework, code: str, delta: int) -> Framework:
    """Move a capability `delta` places up (negative) or down (positive) in matrix order.

    Within its domain it swaps with its neighbour; past the domain's first (or last) place it joins
    the end of the previous (or the start of the next) domain, keeping its code (renumber afterwards).
    """
    d, c = _locate(framework, code)
    domains = [list(dm.capabilities) for dm in framework.domains]
    step = -1 if delta < 0 else 1
    for _ in range(abs(delta)):
        caps = domains[d]
        if 0 <= c + step < len(caps):
            caps[c], caps[c + step] = caps[c + step], caps[c]
            c += step
            continue
        if not 0 <= d + step < len(domains):
            where = "first" if step < 0 else "last"
            raise FrameworkError(f"{code} is already the {where} capability of the framework.")
        if len(caps) == 1:
            raise FrameworkError(
                f"{code} is the only capability in {_domain_label(framework.domains[d])}: "
                "a domain needs at least one, so it cannot move out."
            )
        moving = caps.pop(c)
        d += step
        if step < 0:
            domains[d].append(moving)
            c = len(domains[d]) - 1
        else:
            domains[d].insert(0, moving)
            c = 0
    new_domains = tuple(
        replace(dm, capabilities=tuple(caps)) for dm, caps in zip(framework.domains, domains, strict=True)
    )
    return _validated(replace(framework, domains=new_domains))


def renumber_domain(framework: Framework, domain_index: int) -> Framework:
    """Recode a domain's capabilities N.1, N.2, … in their order (N is the domain's number)."""
    domain = _domain(framework, domain_index)
    number = domain.number.strip()
    codes = [f"{number}.{i}" for i in range(1, len(domain.capabilities) + 1)]
    elsewhere = {c.code for i, dm in enumerate(framework.domains) if i != domain_index for c in dm.capabilities}
    clashes = [code for code in codes if code in elsewhere]
    if clashes:
        raise FrameworkError(
            f"Cannot renumber {_domain_label(domain)}: {', '.join(clashes)} "
            f"{'is' if len(clashes) == 1 else 'are'} already used in another domain."
        )
    caps = tuple(replace(cap, code=code) for cap, code in zip(domain.capabilities, codes, strict=True))
    return _validated(_with_domain(framework, domain_index, replace(domain, capabilities=caps)))


# -- domains ---------------------------------------------------------------------------------------


def set_domain_title(framework: Framework, domain_index: int, title: str, *, keep_stages: bool = False) -> Framework:
    """Retitle a domain. A renamed domain starts with empty stage descriptions (a domain renamed from another
    framework's must not carry its text) unless `keep_stages` (a spelling fix); the same title keeps them."""
    domain = _domain(framework, domain_index)
    _required(title, f"The title of domain {domain.number}")
    renamed = " ".join(title.split()).casefold() != " ".join(domain.title.split()).casefold()
    stages = domain.stages if keep_stages or not renamed else {}
    return _validated(_with_domain(framework, domain_index, replace(domain, title=title, stages=stages)))


def set_stage_text(framework: Framework, domain_index: int, stage_key: str, text: str) -> Framework:
    """A domain's description at one stage of the matrix: one bullet per non-blank line."""
    domain = _domain(framework, domain_index)
    if stage_key not in {s.key for s in framework.stages}:
        raise FrameworkError(f"There is no stage '{stage_key}' in this framework.")
    bullets = tuple(line.strip() for line in text.splitlines() if line.strip())
    stages = {k: v for k, v in domain.stages.items() if k != stage_key}
    if bullets:
        stages[stage_key] = bullets
    ordered = {s.key: stages[s.key] for s in framework.stages if s.key in stages}
    return _validated(_with_domain(framework, domain_index, replace(domain, stages=ordered)))


def set_domain_number(framework: Framework, domain_index: int, number: str) -> Framework:
    """Change a domain's number (its capabilities keep their codes until renumbered)."""
    domain = _domain(framework, domain_index)
    number = _required(number, "A domain number").strip()
    if any(i != domain_index and d.number.strip() == number for i, d in enumerate(framework.domains)):
        raise FrameworkError(f"There is already a domain {number}.")
    return _validated(_with_domain(framework, domain_index, replace(domain, number=number)))


def add_domain(
    framework: Framework,
    title: str,
    number: str | None = None,
    statement: str = "New capability (describe it)",
) -> Framework:
    """A new domain at the end, with one first capability N.1 (a domain cannot be empty)."""
    _required(title, "A domain title")
    number = next_domain_number(framework) if number is None else _required(number, "A domain number").strip()
    if any(d.number.strip() == number for d in framework.domains):
        raise FrameworkError(f"There is already a domain {number}.")
    code = f"{number}.1"
    if code in {c.code for c in framework.capabilities}:
        raise FrameworkError(f"The code {code} is already used: each capability needs its own code.")
    _required(statement, f"The statement of capability {code}")
    domain = Domain(number, title, (Capability(code, statement, True),), {})
    return _validated(replace(framework, domains=(*framework.domains, domain)))


def remove_domain(framework: Framework, domain_index: int) -> Framework:
    """Remove a domain and its capabilities (a framework keeps at least one domain)."""
    _domain(framework, domain_index)
    if len(framework.domains) == 1:
        raise FrameworkError("A framework needs at least one domain: the last one cannot be removed.")
    domains = framework.domains[:domain_index] + framework.domains[domain_index + 1 :]
    return _validated(replace(framework, domains=domains))


# -- scale, questions, identity --------------------------------------------------------------------


def set_scale_label(framework: Framework, level: int, label: str) -> Framework:
    if level not in {s.level for s in framework.scale}:
        levels = ", ".join(str(s.level) for s in framework.scale)
        raise FrameworkError(f"There is no scale level {level} (the levels are {levels}).")
    _required(label, f"The label of scale level {level}")
    scale = tuple(replace(s, label=label) if s.level == level else s for s in framework.scale)
    return _validated(replace(framework, scale=scale))


def set_question(framework: Framework, key: str, label: str | None = None, text: str | None = None) -> Framework:
    """Change a question's short label and/or its full text (its key, used by scores, stays)."""
    found = [q for q in framework.questions if q.key == key]
    if not found:
        keys = ", ".join(framework.question_keys())
        raise FrameworkError(f"There is no question {key!r} (the questions are {keys}).")
    question = found[0]
    if label is not None:
        _required(label, f"The label of question {question.label or key}")
    if text is not None:
        _required(text, f"The text of question {question.label or key}")
    changed = replace(
        question,
        label=question.label if label is None else label,
        text=question.text if text is None else text,
    )
    questions = tuple(changed if q.key == key else q for q in framework.questions)
    return _validated(replace(framework, questions=questions))


def set_identity(
    framework: Framework, name: str | None = None, version: str | None = None, source: str | None = None
) -> Framework:
    """Change the framework's name, version label (trimmed) and/or source note; name and version cannot be blank."""
    if name is not None:
        _required(name, "The framework's name")
    if version is not None:
        _required(version, "The framework's version")
    return _validated(
        replace(
            framework,
            name=framework.name if name is None else name,
            version=framework.version if version is None else version.strip(),
            source=framework.source if source is None else source,
        )
    )
