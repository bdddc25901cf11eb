"""The phone ballot in a real browser: Debian's headless Chromium at a phone's size, driven by Selenium.

Skipped only where Chromium and ChromeDriver are not installed (the Makefile installs them; in CI the test
fails instead of skipping).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from ics_desktop.live.live_round import LiveRound, RoundSettings
from tests.test_live_vote import QUESTIONS, covered_codes, new_assessment

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
if not (CHROMIUM and DRIVER):
    reason = "Chromium and ChromeDriver are not installed (Debian: apt-get install chromium chromium-driver)"
    if os.environ.get("CI"):
        raise RuntimeError(f"CI must run the phone ballot test: {reason}")
    pytest.skip(reason, allow_module_level=True)

from selenium import webdriver  # noqa: E402 - only once Chromium is known to be there
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402


@pytest.fixture
def phone() -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    profile = tempfile.mkdtemp(prefix="ics-chromium-")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}"):  # fmt: skip
        options.add_argument(flag)
    options.add_experimental_option(
        "mobileEmulation", {"deviceMetrics": {"width": 360, "height": 740, "pixelRatio": 2.0}}
    )
    driver = webdriver.Chrome(options=options, service=Service(DRIVER or ""))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def visible(driver: WebDriver, element_id: str) -> None:
    WebDriverWait(driver, 15).until(ec.visibility_of_element_located((By.ID, element_id)))


def answer_for(index: int, question: str) -> str:
    """What the participant taps: a level for now and realistic, "don't know" now and then for aspire."""
    if question == "aspire":
        return "?" if index % 3 == 0 else str((index + 1) % 4 + 1)
    return str(index % 4 + 1) if question == "now" else str((index + 2) % 4 + 1)


def tap(driver: WebDriver, question: str, value: str) -> None:
    button = driver.find_element(By.CSS_SELECTOR, f'.level[data-question="{question}"][data-value="{value}"]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()


def test_a_phone_answers_every_capability_reloads_midway_and_its_answers_are_in(
    phone: WebDriver, sample_file: Path, tmp_path: Path
) -> None:
    db = tmp_path / "room.sqlite"
    shutil.copyfile(sample_file, db)
    assessment = new_assessment(db)
    codes = covered_codes(db)
    live = LiveRound(db, RoundSettings(assessment, QUESTIONS), bind="127.0.0.1", port=0)
    live.start()
    try:
        phone.get(live.url)
        visible(phone, "start")
        assert phone.execute_script("return document.documentElement.scrollWidth") <= 360  # no sideways scrolling
        phone.find_element(By.ID, "start").click()
        for index, code in enumerate(codes):
            visible(phone, "question")
            WebDriverWait(phone, 10).until(lambda d, c=code: d.find_element(By.ID, "code").text == c)
            for question in QUESTIONS:
                tap(phone, question, answer_for(index, question))
            if index == 5:  # the phone sleeps, the page reloads: the answers and the place are kept
                phone.refresh()
                WebDriverWait(phone, 10).until(lambda d, c=code: d.find_element(By.ID, "code").text == c)
                pressed = phone.find_elements(By.CSS_SELECTOR, '.level[aria-pressed="true"]')
                assert sorted(b.get_attribute("data-value") for b in pressed) == sorted(
                    answer_for(index, q) for q in QUESTIONS
                )
            assert phone.find_element(By.ID, "progress").text == f"Capability {index + 1} of {len(codes)}"
            phone.find_element(By.ID, "next").click()
        visible(phone, "thanks")
        assert phone.find_element(By.CSS_SELECTOR, "#thanks h1").text == "Thank you — your answers are in"
        WebDriverWait(phone, 10).until(lambda _d: _stored(db, assessment) == _expected(codes))
        # Voting closes: the next change the phone tries to send is refused and the page says so.
        live.close_voting()
        phone.find_element(By.ID, "change").click()
        visible(phone, "question")
        tap(phone, "now", "4")
        visible(phone, "closed")
        assert phone.find_element(By.CSS_SELECTOR, "#closed h1").text == "Voting has closed"
        assert _stored(db, assessment) == _expected(codes)
    finally:
        live.stop()


def _expected(codes: list[str]) -> dict[tuple[str, str], int | None]:
    return {
        (code, q): None if answer_for(i, q) == "?" else int(answer_for(i, q))
        for i, code in enumerate(codes)
        for q in QUESTIONS
    }


def _stored(db: Path, assessment: str) -> dict[tuple[str, str], int | None]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT x.capability_code, x.question, x.score FROM responses x JOIN respondents r "
            "ON r.id = x.respondent_id WHERE r.assessment_id = ? AND r.kind = 'device'",
            (assessment,),
        ).fetchall()
    finally:
        conn.close()
    return {(c, q): s for c, q, s in rows}
