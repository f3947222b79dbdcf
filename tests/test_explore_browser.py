"""`thaad explore` in a real browser: headless Debian chromium driven by playwright.

The page is loaded from a real uvicorn server (in a thread of this process, on a free
loopback port); the test turns the boresight, waits for the redraw, checks that the map
pixels and the numbers changed, that a bad value is named beside its field, saves a
scenario that `thaad assess --check` accepts, follows the permalink, and finally checks
from the browser's request log that no request went anywhere but 127.0.0.1.

Set THAAD_UPDATE_SCREENSHOT=1 to refresh docs/figures/explore_screenshot.png.
"""

import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.path.exists("/usr/bin/chromium"):
    CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync"]
SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "figures" / "explore_screenshot.png"

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (apt-get install chromium)")


@pytest.fixture()
def explore_url():
    import uvicorn

    from thaad import scenario
    from thaad.explore import create_app
    from thaad.explore.server import bind, url_for

    app = create_app(scenario.load(None), "built-in:seongju")
    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    t0 = time.monotonic()
    while not server.started and time.monotonic() - t0 < 20:
        time.sleep(0.05)
    assert server.started
    yield url_for(sock)
    server.should_exit = True
    thread.join(10)
    sock.close()


def _wait_redraw(page, after: int, timeout_s: float = 30.0) -> int:
    """Wait until the page has drawn a coverage newer than ``after`` (polled: the page's CSP forbids eval)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        seq = int(page.get_attribute("body", "data-coverage-seq") or 0)
        if seq > after and page.get_attribute("body", "data-busy") is None:
            return seq
        page.wait_for_timeout(50)
    raise AssertionError(f"no redraw after #{after} within {timeout_s} s: {page.inner_text('#status')}")


@needs_chromium
def test_explore_page_redraws_saves_and_stays_local(explore_url, tmp_path):
    from playwright.sync_api import sync_playwright

    from thaad.cli import main

    requests: list[str] = []
    profile = tempfile.mkdtemp(prefix="thaad-explore-chromium-")
    try:
        with sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True, args=FLAGS,
                                                        accept_downloads=True, viewport={"width": 1280, "height": 820})
            ctx.on("request", lambda r: requests.append(r.url))
            page = ctx.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(explore_url)
            seq = _wait_redraw(page, 0, 90.0)  # first load: catalogue, basemap, imports
            # basemap, places and coverage are on the map
            assert page.locator("#map path, #map canvas").count() > 0
            area0 = page.inner_text("#num-area")
            cn0 = page.inner_text("#num-cn")
            map0 = page.locator("#map").screenshot()
            assert "km²" in area0 and page.input_value("#boresight") == "330"

            # 1. turn the radar west: the map and the numbers change
            page.fill("#boresight", "260")
            seq = _wait_redraw(page, seq)
            area1 = page.inner_text("#num-area")
            map1 = page.locator("#map").screenshot()
            assert map1 != map0
            assert (area1, page.inner_text("#num-cn")) != (area0, cn0)
            assert "computed in" in page.inner_text("#status")

            # 2. a bad value: the schema's message beside the field, nothing redrawn, server alive
            page.fill("#boresight", "400")
            slot = page.locator('[data-err="radar.boresight_deg"]')
            slot.wait_for(state="visible", timeout=15000)
            assert slot.inner_text() == "radar.boresight_deg: Input should be less than 360"
            assert "bad" in page.get_attribute("#boresight", "class")
            page.fill("#boresight", "260")
            seq = _wait_redraw(page, seq)
            assert page.inner_text('[data-err="radar.boresight_deg"]') == ""
            assert page.inner_text("#num-area") == area1

            # 3. drag the site marker: latitude/longitude follow, the place is cleared, the map redraws
            box = page.locator(".leaflet-marker-icon").bounding_box()
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 4
            page.mouse.move(x, y)
            page.mouse.down()
            page.mouse.move(x - 40, y + 30, steps=6)
            page.mouse.up()
            seq = _wait_redraw(page, seq)
            assert page.input_value("#site-place") == ""
            lat, lon = float(page.input_value("#site-lat")), float(page.input_value("#site-lon"))
            assert lat < 36.0 and lon < 128.2 and (lat, lon) != (36.0513, 128.2229)
            area2 = page.inner_text("#num-area")
            # back to Seongju by name
            page.select_option("#site-place", "seongju")
            seq = _wait_redraw(page, seq)
            assert page.inner_text("#num-area") == area1 and area2 != ""

            # 4. "Save as scenario": a file `thaad assess --check` accepts, with the new boresight
            with page.expect_download() as dl:
                page.click("#save")
            saved = tmp_path / "saved.toml"
            dl.value.save_as(saved)
            assert "boresight_deg = 260" in saved.read_text()
            with pytest.raises(SystemExit) as ex:
                main(["assess", "--check", str(saved), "--quiet"])
            assert ex.value.code == 0

            # 5. the permalink restores the state
            page.goto(page.get_attribute("#permalink", "href") if page.get_attribute("#permalink", "href").startswith("http")
                      else explore_url.rstrip("/") + page.get_attribute("#permalink", "href"))
            seq = _wait_redraw(page, 0)
            assert page.input_value("#boresight") == "260"
            assert page.inner_text("#num-area") == area1

            # 6. forward-based mode and a typed shield sector: the view the README shows
            page.select_option("#mode", "forward-based")
            seq = _wait_redraw(page, seq)
            page.click("#add-sector")
            seq = _wait_redraw(page, seq)
            assert page.is_visible("#row-lost") and "%" in page.inner_text("#num-lost")
            assert "shield" not in page.inner_text("#general-errors")
            shot = tmp_path / "explore_screenshot.png"
            page.screenshot(path=str(shot))
            assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
            if os.environ.get("THAAD_UPDATE_SCREENSHOT"):
                SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(shot, SCREENSHOT)
            ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    # 7. nothing left the machine: every request the browser made went to the local server
    assert requests, "the request log is empty: the listener saw nothing"
    hosts = {urlparse(u).hostname for u in requests if urlparse(u).scheme not in ("blob", "data")}
    assert hosts == {"127.0.0.1"}, sorted(set(requests))
    assert any("/static/leaflet/leaflet.js" in u for u in requests) and any("/api/coverage" in u for u in requests)
