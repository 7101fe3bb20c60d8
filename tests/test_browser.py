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


def _box_texts(driver, element_id):
    return driver.execute_script(
        "var g = document.getElementById(arguments[0]);"
        "return Array.prototype.map.call(g.getElementsByTagName('text'),"
        "                                function (t) { return t.textContent; });",
        element_id)


def _picture_geometry(driver):
    """Where the picture's frame and the buttons are, and the SVG's size: none of it may move
    (the frame scrolls to the current node, which does not change the picture)."""
    return driver.execute_script(
        "var r = function (s) { var b = document.querySelector(s).getBoundingClientRect();"
        "  return [b.left, b.top, b.width, b.height]; };"
        "var svg = r('.mgf-frame svg');"
        "return [svg[2], svg[3], r('.mgf-frame'), r('.mgf-next'), r('.mgf-prev'), r('.mgf-slider')];")


def chain_of(values):
    """x, then x·x and tanh in turn: exactly ``values`` values."""
    from microgradfr import Value

    v = Value(0.5, label="x")
    for i in range(values - 1):
        v = v.tanh() if i % 2 else v * v
    v.label = "out"
    return v


def test_player_steps_through_a_300_value_graph_without_moving(browser, tmp_path):
    import time

    from selenium.webdriver.common.by import By

    root = chain_of(300)
    start = time.perf_counter()
    page = viz.to_html(root, tmp_path / "big.html")
    assert time.perf_counter() - start < 10 and page.stat().st_size < 2_000_000   # bench: < 3 s, 1.2 MB
    browser.get(page.resolve().as_uri())
    geometry = _picture_geometry(browser)
    slider = browser.find_element(By.CSS_SELECTOR, ".mgf-slider")
    assert slider.get_attribute("max") == "599"                         # 300 forward + 300 backward
    assert _box_texts(browser, "n299")[1] == "data ?"                  # the root is not computed yet
    for _ in range(5):
        browser.find_element(By.CSS_SELECTOR, ".mgf-next").click()
    assert _state(browser)[2] == "5" and _box_texts(browser, "n5")[1] != "data ?"
    assert _box_texts(browser, "n6")[1] == "data ?"
    for frame in (299, 300, 450, 599, 3):
        browser.execute_script("var s = document.querySelector('.mgf-slider'); s.value = arguments[0];"
                               "s.dispatchEvent(new Event('input'));", frame)
        assert _picture_geometry(browser) == geometry, frame       # one layout: nothing moves
    # back to frame 3: later values are unknown again, no gradient anywhere
    assert _box_texts(browser, "n3")[1] != "data ?" and _box_texts(browser, "n4")[1] == "data ?"
    assert _box_texts(browser, "n0")[2] == "grad : non calculé"
    browser.execute_script("var s = document.querySelector('.mgf-slider'); s.value = 599;"
                           "s.dispatchEvent(new Event('input'));")
    x_grad = _box_texts(browser, "n0")[2]
    assert x_grad.startswith("grad ") and x_grad != "grad : non calculé" and "x" in _state(browser)[1]


HOSTILE = "</script><img src=x onerror=alert(1)>"


def test_labels_are_never_executed(browser, tmp_path):
    from microgradfr import Value

    x = Value(2.0, label=HOSTILE)
    y = x * x
    y.label = "<b>y</b>"
    page = viz.to_html(y, tmp_path / "hostile.html")
    browser.get(page.resolve().as_uri())
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    assert browser.execute_script("return document.querySelectorAll('.mgf-frame svg').length") == 1
    assert _box_texts(browser, "n0")[0] == HOSTILE                       # shown as text, verbatim
    assert HOSTILE in _state(browser)[1]
    assert _box_texts(browser, "n1")[0] == "<b>y</b>"
