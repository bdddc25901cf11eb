"""The sample programme with very long names (a fixture for the fit-the-screen checks).

`python -m tests.long_names DB` turns the sample database DB into one whose programme, system, area,
workshop, action and milestone titles and participant and respondent names are 200 characters long.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ics_desktop.storage.store import Store

LENGTH = 200

# (table, column): every text a page shows in a picker, a table cell or a heading.
LONG_COLUMNS = [
    ("programmes", "name"),
    ("systems", "name"),
    ("areas_of_focus", "title"),
    ("workshop_catalogue", "title"),
    ("workshops", "title"),
    ("workshops", "venue"),
    ("actions", "title"),
    ("actions", "owner"),
    ("milestones", "title"),
    ("people", "name"),
    ("people", "role"),
    ("people", "organisation"),
    ("respondents", "label"),
]


def long_text(start: str, length: int = LENGTH) -> str:
    """`start` padded with words to exactly `length` characters."""
    text = start
    while len(text) < length:
        text += " Integrated care across the whole system"
    return text[:length]


def lengthen(store: Store) -> None:
    """Every listed name becomes LENGTH characters long (kept distinct by its original start)."""
    with store.atomic():
        for table, column in LONG_COLUMNS:
            for row in store.rows(f"SELECT id, {column} AS value FROM {table}"):
                store.conn.execute(
                    f"UPDATE {table} SET {column} = ? WHERE id = ?", (long_text(str(row["value"]) or table), row["id"])
                )


def main(argv: list[str]) -> int:
    store = Store.open(Path(argv[0]))
    try:
        lengthen(store)
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
