"""An organisation's logo for the covers of the Word documents and the PDF summary (optional, per programme).

The picture is kept in the database (base64 text in `programmes.cover_logo`), so it travels with the
programme in bundles and backups and never depends on a file that may move. Only PNG and JPEG pictures
of a sensible size are taken; anything else is refused with one clear line. The NHS logo is a registered
trade mark and must not be used: the app says so where the logo is chosen.
"""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass
from pathlib import Path

from ics_desktop.errors import UserFacingError
from ics_desktop.limits import LOGO_FILE_BYTES as MAX_LOGO_BYTES

SMALLEST, LARGEST = 16, 6000  # pixels along each side
FORMATS = {"PNG": "png", "JPEG": "jpeg"}


class LogoError(UserFacingError):
    """A file that cannot be a cover logo: the message says why and what to do."""


@dataclass(frozen=True)
class Logo:
    """A cover logo as the documents draw it."""

    data: bytes
    kind: str  # "png" or "jpeg"
    width_px: int
    height_px: int

    def fitted_size(self, max_width: float, max_height: float) -> tuple[float, float]:
        """The logo's size within a `max_width` × `max_height` box (any unit), keeping its proportions."""
        scale = min(max_width / self.width_px, max_height / self.height_px)
        return self.width_px * scale, self.height_px * scale


def _inspect(data: bytes, name: str) -> Logo:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = FORMATS.get(str(image.format))
            width, height = image.size
            if kind is not None:
                image.load()  # a truncated or corrupt file fails here, not in a document
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise LogoError(
            f"{name} could not be read as a picture ({exc.__class__.__name__}). "
            "Save the logo as PNG or JPEG and choose it again."
        ) from None
    if kind is None:
        raise LogoError(f"{name} is a {image.format} picture; covers take PNG or JPEG. Save the logo as PNG.")
    if min(width, height) < SMALLEST or max(width, height) > LARGEST:
        raise LogoError(
            f"{name} is {width} × {height} pixels; a logo must be {SMALLEST} to {LARGEST:,} pixels along each side."
        )
    return Logo(data, kind, width, height)


def read_logo_file(path: Path) -> str:
    """The text to store for the logo in `path` (a PNG or JPEG of at most 512 KB); LogoError when it is not one."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_LOGO_BYTES:
            raise LogoError(
                f"{name} is {size / 1024:,.0f} KB; a cover logo can be at most {MAX_LOGO_BYTES // 1024} KB. "
                "Save a smaller copy (a few hundred pixels wide is plenty) and choose that."
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise LogoError(f"{name} is not there any more; choose the logo again.") from None
    except IsADirectoryError:
        raise LogoError(f"{name} is a folder, not a picture.") from None
    except OSError as exc:
        raise LogoError(f"{name} could not be read ({exc.strerror or exc}).") from None
    _inspect(data, name)
    return base64.b64encode(data).decode("ascii")


def stored_logo(text: str | None) -> Logo | None:
    """The logo a programme stores, or None when it has none (or what is stored is not a usable picture)."""
    if not text:
        return None
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
        return _inspect(data, "The stored logo") if len(data) <= MAX_LOGO_BYTES else None
    except (binascii.Error, UnicodeEncodeError, LogoError):
        return None  # a bundle from elsewhere may carry anything: the documents then go without a logo


def alt_text(organisation: str) -> str:
    """What a screen reader says for the logo."""
    organisation = " ".join(organisation.split())
    return f"Logo of {organisation}" if organisation else "Organisation logo"
