"""How long a text may be and how large a file the app will read: one set of numbers for every way in.

The same limits apply when typing in the window, importing a CSV file, reading a framework JSON file and
reading a bundle, so whatever one laptop exports another can import.
"""

from __future__ import annotations

from ics_desktop.errors import StoreError


class TextTooLongError(StoreError):
    """A text longer than its field holds: refused with its length and the limit, nothing saved."""


NAME = 200  # a person's, programme's, system's or framework's name; a code or key
TITLE = 500  # a title, label, statement or question: one line of a table
LONG_TEXT = 100_000  # a narrative, justification, note or stage description

FRAMEWORK_FILE_BYTES = 5 * 2**20  # a framework JSON file (the shipped one is 40 KB)
BUNDLE_FILE_BYTES = 200 * 2**20  # a bundle (zip) file as it lies on disk
CSV_FILE_BYTES = 50 * 2**20  # a CSV file of responses
LOGO_FILE_BYTES = 512 * 2**10  # a cover logo (a typical one is under 50 KB)
LOGO_TEXT = (LOGO_FILE_BYTES + 2) // 3 * 4  # the base64 text of the largest cover logo

MAX_JSON_DEPTH = 50


# Columns that name something (shown in lists, pickers and file names); every other text holds up to LONG_TEXT.
NAME_COLUMNS = frozenset(
    {
        ("programmes", "name"),
        ("systems", "name"),
        ("people", "name"),
        ("assessments", "name"),
        ("respondents", "label"),
        ("frameworks", "name"),
        ("frameworks", "key"),
        ("frameworks", "version"),
        ("tor_sections", "key"),
        ("programmes", "board_author"),
        ("programmes", "board_contact"),
        ("programmes", "board_version"),
        ("programmes", "cover_logo_name"),
        ("tor_sections", "title"),
    }
)
UNBOUNDED = frozenset({("frameworks", "definition"), ("sync_versions", "row")})  # checked as a whole elsewhere


def limit_for(table: str, column: str) -> int | None:
    """How many characters a text column holds (None: not limited here)."""
    if (table, column) in UNBOUNDED:
        return None
    if (table, column) == ("programmes", "cover_logo"):
        return LOGO_TEXT
    return NAME if (table, column) in NAME_COLUMNS else LONG_TEXT


def checked_text(table: str, column: str, value: object, what: str = "") -> None:
    """Raise TextTooLongError when `value` (a text, or a JSON list of texts) is longer than its column holds."""
    limit = limit_for(table, column)
    if limit is None or not isinstance(value, (str, list)):
        return
    length = len(value) if isinstance(value, str) else sum(len(str(item)) for item in value)
    if length > limit:
        raise TextTooLongError(limit_message(what or column.replace("_", " "), length, limit))


def too_long(text: str, limit: int) -> bool:
    return len(text) > limit


def limit_message(what: str, length: int, limit: int) -> str:
    """'The statement is 600 characters long; at most 500 fit.'"""
    return f"The {what} is {length:,} characters long; at most {limit:,} fit."


def file_too_large(what: str, size: int, limit: int) -> str:
    return (
        f"{what} is {size / 2**20:,.1f} MB; ICS Desktop reads files of this kind up to "
        f"{limit // 2**20} MB, so it was not read."
    )
