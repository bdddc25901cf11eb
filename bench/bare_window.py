"""The floor: how long a bare PySide6 window takes to show on this machine (same measure as the app)."""

import time

STARTED = time.perf_counter()

import sys  # noqa: E402

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow  # noqa: E402

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("bare window"))
window.resize(1360, 860)
window.show()


def done() -> None:
    print(f"ready_ms={round((time.perf_counter() - STARTED) * 1000)}", flush=True)
    app.quit()


QTimer.singleShot(0, done)
app.exec()
