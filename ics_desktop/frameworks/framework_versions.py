"""A programme's framework over time: edit in place until scored, then each edit makes a new version."""

from __future__ import annotations

import re
from dataclasses import replace

from ics_desktop.frameworks.framework import Framework
from ics_desktop.storage.store import Store, now_iso

_REVISION = re.compile(r"^(.*) rev (\d+)$")


# What saving a programme's framework may change (views showing any of these reload).
FRAMEWORK_TABLES = frozenset({"frameworks", "programmes", "assessments"})


# An assessment "holds results" once it has a response or any agreed figure, focus, change or justification:
# results are keyed by capability code, so a framework they were recorded against must never change under them.
_HOLDS_RESULTS = (
    "(EXISTS (SELECT 1 FROM respondents r JOIN responses x ON x.respondent_id = r.id WHERE r.assessment_id = a.id)"
    " OR EXISTS (SELECT 1 FROM capability_results c WHERE c.assessment_id = a.id AND (c.agreed_current IS NOT NULL"
    " OR c.agreed_desired IS NOT NULL OR c.desired_open = 1 OR c.change IS NOT NULL OR c.change_blank = 1"
    " OR c.focus = 1 OR c.justification != '')))"
)


def framework_is_frozen(store: Store, framework_id: str) -> bool:
    """True once any assessment on this version holds results (responses or agreed figures)."""
    row = store.conn.execute(
        f"SELECT 1 FROM assessments a WHERE a.framework_id = ? AND {_HOLDS_RESULTS} LIMIT 1", (framework_id,)
    ).fetchone()
    return row is not None


def assessments_holding_results(store: Store, programme_id: str, framework_id: str) -> int:
    """How many of the programme's assessments on this version hold results (responses or agreed figures)."""
    row = store.conn.execute(
        f"SELECT COUNT(*) FROM assessments a WHERE a.programme_id = ? AND a.framework_id = ? AND {_HOLDS_RESULTS}",
        (programme_id, framework_id),
    ).fetchone()
    return int(row[0])


def assessments_on_older_versions(store: Store, programme_id: str) -> list[tuple[str, str, str]]:
    """(assessment id, name, framework id) of the programme's assessments that hold results recorded against
    a framework version the programme no longer uses: their results can be mapped to the current one."""
    current = store.programme(programme_id).framework_id
    rows = store.conn.execute(
        f"SELECT a.id, a.name, a.framework_id FROM assessments a WHERE a.programme_id = ? AND a.framework_id != ? "
        f"AND {_HOLDS_RESULTS} ORDER BY a.date, a.created, a.id",
        (programme_id, current),
    ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def next_version_label(version: str) -> str:
    match = _REVISION.match(version)
    if match:
        return f"{match.group(1)} rev {int(match.group(2)) + 1}"
    return f"{version} rev 2"


def save_programme_framework(store: Store, programme_id: str, framework: Framework) -> str:
    """Save an edited framework for a programme; returns the id of the version now in use.

    A version that holds results (responses or agreed figures) is never changed: the edit becomes a new
    version, the programme moves to it, and so do its assessments with nothing recorded yet.
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
        # Only assessments with nothing recorded follow; the others keep the version their results belong to
        # until the facilitator maps them (framework_mapping), never by a code that happens to match.
        store.conn.execute(
            f"UPDATE assessments SET framework_id = ?, modified = ? WHERE programme_id = ? AND framework_id = ? "
            f"AND id IN (SELECT a.id FROM assessments a WHERE NOT {_HOLDS_RESULTS})",
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
