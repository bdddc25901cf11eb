"""A programme's framework over time: edit in place until scored, then each edit makes a new version."""

from __future__ import annotations

import re
from dataclasses import replace

from .framework import Framework
from .store import Store, now_iso

_REVISION = re.compile(r"^(.*) rev (\d+)$")


# What saving a programme's framework may change (views showing any of these reload).
FRAMEWORK_TABLES = frozenset({"frameworks", "programmes", "assessments"})


def framework_is_frozen(store: Store, framework_id: str) -> bool:
    """True once any assessment scored against this version has a response."""
    row = store.conn.execute(
        "SELECT 1 FROM responses x JOIN respondents r ON r.id = x.respondent_id "
        "JOIN assessments a ON a.id = r.assessment_id WHERE a.framework_id = ? LIMIT 1",
        (framework_id,),
    ).fetchone()
    return row is not None


def next_version_label(version: str) -> str:
    match = _REVISION.match(version)
    if match:
        return f"{match.group(1)} rev {int(match.group(2)) + 1}"
    return f"{version} rev 2"


def save_programme_framework(store: Store, programme_id: str, framework: Framework) -> str:
    """Save an edited framework for a programme; returns the id of the version now in use.

    A version that has been scored against is never changed: the edit becomes a new version, the
    programme moves to it, and so do its assessments that have no responses yet.
    """
    programme = store.programme(programme_id)
    current_id = programme.framework_id
    with store.atomic():
        if not framework_is_frozen(store, current_id):
            store.conn.execute(
                "UPDATE frameworks SET key = ?, name = ?, version = ?, definition = ?, modified = ? WHERE id = ?",
                (framework.key, framework.name, framework.version, framework.to_json(), now_iso(), current_id),
            )
            return current_id
        old = store.framework(current_id)
        if framework.version == old.version:
            framework = replace(framework, version=next_version_label(old.version))
        new_id = store.add_framework(framework, based_on_id=current_id)
        stamp = now_iso()
        store.conn.execute(
            "UPDATE programmes SET framework_id = ?, modified = ? WHERE id = ?", (new_id, stamp, programme_id)
        )
        store.conn.execute(
            "UPDATE assessments SET framework_id = ?, modified = ? WHERE programme_id = ? AND framework_id = ? "
            "AND id NOT IN (SELECT r.assessment_id FROM respondents r JOIN responses x ON x.respondent_id = r.id)",
            (new_id, stamp, programme_id, current_id),
        )
        return new_id


def framework_versions(store: Store, programme_id: str) -> list[tuple[str, str]]:
    """(framework id, version) of every version this programme's assessments or the programme use."""
    rows = store.conn.execute(
        "SELECT DISTINCT f.id, f.version, f.created FROM frameworks f WHERE f.id = "
        "(SELECT framework_id FROM programmes WHERE id = ?) OR f.id IN "
        "(SELECT framework_id FROM assessments WHERE programme_id = ?) ORDER BY f.created, f.id",
        (programme_id, programme_id),
    ).fetchall()
    return [(r[0], r[1]) for r in rows]
