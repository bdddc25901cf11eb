"""The documents a programme can be exported as: one table used by the Export page and the `export` command.

Each kind knows its label, its file suffix, a default file name made from the system's name, and the
function that writes it, imported only when that document is written (python-docx, reportlab and
openpyxl load lazily; a kind whose module is not installed reports itself unavailable).
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ics_desktop.exports.common import ExportError, Progress, no_progress
from ics_desktop.frameworks.scoring import MINIMUM_GROUP
from ics_desktop.storage.store import Store

# The Word roadmap's sections (keys passed to write_roadmap_docx), in document order.
ROADMAP_SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Summary"),
    ("system", "The system"),
    ("readiness", "Readiness results"),
    ("charts", "Charts"),
    ("areas", "Areas of focus"),
    ("workshops", "Workshops"),
    ("roadmap", "Roadmap and timeline"),
    ("actions", "Actions and milestones"),
    ("appendix_matrix", "Appendix: capabilities matrix"),
    ("appendix_readiness", "Appendix: readiness detail"),
    ("appendix_team", "Appendix: delivery team and participants"),
)
DEFAULT_VERSION = "Draft"


@dataclass(frozen=True)
class ExportOptions:
    """What the user chose besides the document and where it goes."""

    assessment_id: str | None = None  # None: the latest with agreed figures (documents) or every one (data)
    sections: tuple[str, ...] | None = None  # Word roadmap only; None means every section
    version: str = DEFAULT_VERSION  # the Word documents' covers
    as_at: date | None = None  # the day the documents speak for (overdue, days late, colours); None: today
    minimum_group: int = MINIMUM_GROUP  # fewer answers than this to a question: no figures in a document

    def as_at_date(self) -> date:
        return self.as_at or date.today()


Writer = Callable[[Store, str, Path, ExportOptions, Progress], list[Path]]


def _roadmap(store: Store, programme_id: str, target: Path, options: ExportOptions, progress: Progress) -> list[Path]:
    from ics_desktop.exports.word_roadmap import write_roadmap_docx

    sections = list(options.sections) if options.sections is not None else None
    result = write_roadmap_docx(
        store, programme_id, target, assessment_id=options.assessment_id, sections=sections,
        version=options.version, progress=progress, today=options.as_at_date(),
        minimum_group=options.minimum_group,
    )  # fmt: skip
    return [Path(result.path)]


def _tor(store: Store, programme_id: str, target: Path, options: ExportOptions, progress: Progress) -> list[Path]:
    from ics_desktop.exports.word_tor import write_tor_docx

    result = write_tor_docx(
        store, programme_id, target, assessment_id=options.assessment_id, progress=progress, today=options.as_at_date(),
        minimum_group=options.minimum_group, version=options.version,
    )  # fmt: skip
    return [Path(result.path)]


def _summary(store: Store, programme_id: str, target: Path, options: ExportOptions, progress: Progress) -> list[Path]:
    from ics_desktop.exports.pdf_summary import write_summary_pdf

    result = write_summary_pdf(
        store, programme_id, target, assessment_id=options.assessment_id, progress=progress, today=options.as_at_date(),
        minimum_group=options.minimum_group,
    )  # fmt: skip
    return [Path(result.path)]


def _xlsx(store: Store, programme_id: str, target: Path, options: ExportOptions, progress: Progress) -> list[Path]:
    from ics_desktop.exports import tables  # looked up at call time, so a test can substitute the function

    today = options.as_at_date().isoformat()
    written = tables.write_xlsx(
        store, programme_id, target, assessment_id=options.assessment_id, progress=progress, today=today
    )
    return [written.path]


def _csv(store: Store, programme_id: str, target: Path, options: ExportOptions, progress: Progress) -> list[Path]:
    from ics_desktop.exports import tables

    today = options.as_at_date().isoformat()
    return tables.write_csv(
        store, programme_id, target, assessment_id=options.assessment_id, progress=progress, today=today
    )


@dataclass(frozen=True)
class DocumentKind:
    key: str  # "roadmap", "tor", "summary", "xlsx", "csv"
    label: str  # what the Export page lists
    noun: str  # what the command reports: "wrote roadmap: FILE"
    suffix: str  # ".docx", ".pdf", ".xlsx"; "" for a folder of CSV files
    stem: str  # the default file name's ending: "Healthier Together (BNSSG) - roadmap.docx"
    description: str
    module: str  # the module holding the writer (so availability is known without importing it)
    writer: Writer
    folder: bool = False  # written into a folder rather than one file
    all_assessments: bool = False  # data kinds can take every assessment at once
    sections: bool = False
    version: bool = False

    def available(self) -> bool:
        """Is the module that writes this kind installed?"""
        try:
            return importlib.util.find_spec(self.module) is not None
        except (ImportError, ValueError):
            return False

    def default_name(self, system_name: str) -> str:
        """'Healthier Together (BNSSG) - roadmap.docx', safe on every file system."""
        return safe_file_name(f"{system_name.strip() or 'Programme'} - {self.stem}", self.suffix)


KINDS: tuple[DocumentKind, ...] = (
    DocumentKind(
        "roadmap", "Word roadmap", "roadmap", ".docx", "roadmap",
        "The system's roadmap: readiness, areas of focus, workshops, actions and milestones towards shadow ICS status.",
        "ics_desktop.exports.word_roadmap", _roadmap, sections=True, version=True,
    ),
    DocumentKind(
        "tor", "Word terms of reference", "terms of reference", ".docx", "terms of reference",
        "The programme's terms of reference: context, delivery, system overview, readiness, areas of focus.",
        "ics_desktop.exports.word_tor", _tor, version=True,
    ),
    DocumentKind(
        "summary", "PDF summary for boards", "summary", ".pdf", "board summary",
        "Two pages a board can read in two minutes: readiness, focus, progress and next milestones.",
        "ics_desktop.exports.pdf_summary", _summary,
    ),
    DocumentKind(
        "xlsx", "Excel workbook", "workbook", ".xlsx", "data",
        "Actions, milestones, responses and results, one sheet each, ready to sort and filter.",
        "ics_desktop.exports.tables", _xlsx, all_assessments=True,
    ),
    DocumentKind(
        "csv", "CSV files", "csv", "", "CSV",
        "actions.csv, milestones.csv, responses.csv and results.csv in a folder (UTF-8, opens in Excel).",
        "ics_desktop.exports.tables", _csv, folder=True, all_assessments=True,
    ),
)  # fmt: skip


def kind(key: str) -> DocumentKind:
    for k in KINDS:
        if k.key == key:
            return k
    raise KeyError(key)


# -- file names --------------------------------------------------------------------------------------

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')  # Windows' list, which covers macOS and Linux
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
)
MAX_NAME = 120  # characters: well under every file system's limit, leaving room for the folder path


def safe_file_name(stem: str, suffix: str = "") -> str:
    """A file name any file system accepts: forbidden characters become '-', no trailing dots or spaces,
    no reserved Windows device names, not too long; never empty."""
    text = unicodedata.normalize("NFC", stem)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cs", "Co", "Cn"))  # no lone surrogates
    text = _FORBIDDEN.sub("-", text)
    text = " ".join(text.split())
    text = text[:MAX_NAME].strip(" .") or "export"
    if text.split(".")[0].strip().upper() in _RESERVED:
        text = f"_{text}"
    return text + suffix


# -- running -----------------------------------------------------------------------------------------


def prepare_folder(target: Path) -> bool:
    """Create a CSV folder whose parent exists (the Export page's default); True when it was created."""
    target = Path(target)
    if target.exists():
        if not target.is_dir():
            raise ExportError(f"{target} is a file, not a folder.")
        return False
    if not target.parent.is_dir():
        raise ExportError(f"The folder {target.parent} does not exist.")
    try:
        target.mkdir()
    except OSError as exc:
        raise ExportError(f"Cannot create the folder {target}: {exc.strerror or exc}.") from None
    return True


def remove_if_empty(folder: Path) -> None:
    """Undo `prepare_folder` after a cancelled or failed export (only when nothing is in it)."""
    with contextlib.suppress(OSError):
        folder.rmdir()


def export(
    key: str,
    store: Store,
    programme_id: str,
    target: Path,
    options: ExportOptions | None = None,
    *,
    progress: Progress = no_progress,
    create_folder: bool = False,
) -> list[Path]:
    """Write one kind of document; the files written. UserFacingErrors carry a message for the user as it stands.

    `create_folder` (CSV only) creates the target folder when its parent exists, and removes it again
    if the export does not complete.
    """
    chosen = kind(key)
    if not chosen.available():
        raise ExportError(f"The {chosen.label} is not available in this version of ICS Desktop.")
    target = Path(target)
    from ics_desktop.storage.output_guard import check_output

    for output in [target / f"{name}.csv" for name in _csv_names()] if chosen.folder else [target]:
        check_output(output, store.path)
    created = create_folder and chosen.folder and prepare_folder(target)
    try:
        return chosen.writer(store, programme_id, target, options or ExportOptions(), progress)
    except OSError as exc:  # e.g. no permission to create a file in the folder
        raise ExportError(f"Cannot write {target}: {exc.strerror or exc}.") from None
    finally:
        if created and not any(target.iterdir()):
            remove_if_empty(target)


def _csv_names() -> tuple[str, ...]:
    from ics_desktop.exports.tables import CSV_NAMES

    return CSV_NAMES


def describe(paths: Sequence[Path]) -> str:
    """One line naming what was written."""
    if len(paths) == 1:
        return str(paths[0])
    return f"{len(paths)} files in {paths[0].parent}" if paths else "nothing"
