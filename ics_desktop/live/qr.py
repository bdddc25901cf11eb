"""QR codes for the join slide (segno, pure Python): the round's URL, and joining the Wi-Fi."""

from __future__ import annotations

import io


def qr_png(text: str, scale: int = 12) -> bytes:
    """A QR code as PNG bytes (black on white, a quiet zone of four modules)."""
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def _escape(value: str) -> str:
    for ch in '\\;,:"':
        value = value.replace(ch, "\\" + ch)
    return value


def wifi_payload(ssid: str, password: str) -> str:
    """The text phones' cameras read as "join this Wi-Fi" (WPA, or an open network without a password)."""
    if password:
        return f"WIFI:T:WPA;S:{_escape(ssid)};P:{_escape(password)};;"
    return f"WIFI:T:nopass;S:{_escape(ssid)};;"
