"""The HTML player in a real headless Chromium (Debian's chromium + chromedriver, via selenium).

Installs nothing at run time; skips only where the browser or its driver is absent.
"""
import shutil
from pathlib import Path

import pytest

import viz
from microgradfr.demo import course_graph

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = pytest.mark.browser


@pytest.fixture
def browser(tmp_path):
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip("needs /usr/bin/chromium and /usr/bin/chromedriver "
                    "(apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(tmp_path / "profile", ignore_errors=True)


def course():
    """The course's L = (w1·x + w2·y)² with w1 = 2, x = −1.5, w2 = 0.5, y = 3 (demo.course_graph)."""
    return course_graph()[0]


def _state(driver):
    from selenium.webdriver.common.by import By

    frame = driver.find_element(By.CSS_SELECTOR, ".mgf-frame").get_attribute("innerHTML")
    text = driver.find_element(By.CSS_SELECTOR, ".mgf-text").text
    slider = driver.find_element(By.CSS_SELECTOR, ".mgf-slider").get_attribute("value")
    return frame, text, slider


def test_player_steps_forward_with_button_slider_and_keys(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    page = viz.to_html(course(), tmp_path / "player.html")
    browser.get(page.resolve().as_uri())
    frame0, text0, slider0 = _state(browser)
    assert "<svg" in frame0 and slider0 == "0"
    assert text0 == "w1 = 2 : une feuille, sa valeur est donnée"

    browser.find_element(By.CSS_SELECTOR, ".mgf-next").click()
    frame1, text1, slider1 = _state(browser)
    assert frame1 != frame0 and text1 != text0 and slider1 == "1"
    assert text1 == "x = −1.5 : une feuille, sa valeur est donnée"

    browser.find_element(By.CSS_SELECTOR, ".mgf-next").click()
    assert _state(browser)[1] == "a = w1·x = −3"              # 2 · (−1.5)

    browser.find_element(By.CSS_SELECTOR, ".mgf-prev").click()
    assert _state(browser)[1] == text1

    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_RIGHT)
    body.send_keys(Keys.ARROW_RIGHT)
    assert _state(browser)[2] == "3"

    # the last frame: the backward pass has reached w1, ∂L/∂w1 = 2c·x = 4.5
    browser.execute_script("var s = document.querySelector('.mgf-slider'); s.value = s.max;"
                           "s.dispatchEvent(new Event('input'));")
    frame_last, text_last, slider_last = _state(browser)
    assert slider_last == "15" and "4.5" in text_last and "w1" in text_last
    assert "grad 4.5" in frame_last


def test_player_page_needs_no_network(browser, tmp_path):
    page = viz.to_html(course(), tmp_path / "player.html", lang="en")
    browser.get(page.resolve().as_uri())
    entries = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert entries == []
    assert "leaf" in _state(browser)[1]
