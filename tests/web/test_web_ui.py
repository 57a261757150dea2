"""The UI in a real headless Chromium (Debian's, driven by Playwright; no browser is downloaded).

Every request that leaves 127.0.0.1 is aborted and recorded, so the pages are
also shown to work offline. Screenshots go to tests/artifacts/ for review.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright
from web_samples import DENIAL_MARK, HOSTILE, Demo, Live

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def chromium_path() -> str | None:
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if name and (found := shutil.which(name)):
            return found
    return None


@dataclass
class Tab:
    """A page and what it did that a test must see: requests off the machine, dialogs, script errors."""

    page: Page
    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def runs_nothing(self) -> None:
        self.page.wait_for_load_state("load")
        assert self.page.evaluate("window.__pwned") is None
        assert self.dialogs == [] and self.errors == []
        assert self.page.locator("main script, main img, main b").count() == 0
        assert self.page.locator("a[href^='javascript'], a[href^='JavaScript']").count() == 0


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        pytest.skip("no chromium executable on PATH: `make test` installs Debian's chromium when run as root "
                    "(scripts/ensure-chromium.sh), or set CHROMIUM=/path/to/chromium")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("*\n")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True)
        yield browser
        browser.close()


@pytest.fixture()
def tab(browser: Browser, live: Live) -> Iterator[Tab]:
    context = browser.new_context(base_url=live.url, viewport={"width": 1400, "height": 1000})
    tab = Tab(context.new_page())

    def local_only(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            tab.outside.append(route.request.url)
            route.abort()

    tab.page.route("**/*", local_only)
    tab.page.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    tab.page.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.page.on("console", lambda m: m.type == "error" and tab.errors.append(m.text))
    yield tab
    assert tab.outside == [], f"requests left the machine: {tab.outside}"
    context.close()


def test_home_shows_counts_languages_and_latest(tab: Tab) -> None:
    page = tab.page
    page.goto("/")
    assert page.locator("#count-documents").inner_text() == "8"
    assert page.locator("#count-languages").inner_text() == "3"
    assert page.locator("#latest tbody tr").count() == 8
    assert page.locator("#narratives a[href^='/narratives/']").count() >= 1
    page.screenshot(path=ARTIFACTS / "home.png", full_page=True)


def test_narrative_page_shows_members_in_their_languages_the_timeline_and_copies(tab: Tab, demo: Demo) -> None:
    page = tab.page
    page.goto("/")
    page.locator("#narratives a").first.click()
    page.wait_for_url("**/narratives/*")
    members = page.locator("#members tbody tr")
    assert members.count() == int(page.locator("#size").inner_text()) >= 3
    shown = {members.nth(i).locator(".lang").inner_text() for i in range(members.count())}
    assert len(shown) == int(page.locator("#language-count").inner_text()) >= 2
    assert page.locator("#timeline tbody tr").count() >= 1
    assert page.locator(f"#members a[href='/documents/{demo.ids['A06']}']").count() == 1
    assert page.locator("#copies td.kind", has_text="translation").count() >= 1
    assert page.locator("#factchecks tbody tr", has_text="Kastrel").count() >= 1
    page.screenshot(path=ARTIFACTS / "narrative.png", full_page=True)
    tab.runs_nothing()
    page.locator("#stories a").first.click()
    page.wait_for_url("**/stories/*")
    assert page.locator("#members tbody tr").count() >= 1


def test_document_page_shows_the_translation_side_by_side(tab: Tab, demo: Demo) -> None:
    page = tab.page
    page.goto(f"/documents/{demo.ids['A06']}")
    assert "Project Nightwater" in page.locator("#title").inner_text()
    copy = page.locator("details.copy", has_text="Des documents")
    if copy.get_attribute("open") is None:
        copy.locator("summary").click()
    dropped = copy.locator("tr.dropped")
    assert dropped.first.is_visible() and DENIAL_MARK in dropped.first.inner_text()
    assert dropped.first.evaluate("row => getComputedStyle(row.cells[1]).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert copy.locator("tr.aligned").count() > 10
    page.screenshot(path=ARTIFACTS / "document-side-by-side.png", full_page=True)


def test_a_suggested_fact_check_is_confirmed_from_the_document_page(tab: Tab, demo: Demo, live: Live) -> None:
    page = tab.page
    page.goto(f"/documents/{demo.ids['A06']}")
    suggested = page.locator("#factchecks .match.suggested")
    assert suggested.count() >= 1
    first = suggested.first
    claim = first.locator("input[name=claim]").get_attribute("value")
    assert "False" in first.inner_text() and "Kastrel" in first.inner_text()
    first.locator("input[name=token]").fill("wrong-token")
    first.locator("button[value=confirmed]").click()
    assert page.locator("body").inner_text().count("wrong token") == 1
    assert tab.errors == ["Failed to load resource: the server responded with a status of 401 (Unauthorized)"]
    tab.errors.clear()
    page.goto(f"/documents/{demo.ids['A06']}")
    first = page.locator("#factchecks .match.suggested").first
    first.locator("input[name=token]").fill(live.token)
    first.locator("button[value=confirmed]").click()
    page.wait_for_url("**reviewed=confirmed**")
    confirmed = page.locator("#factchecks .match.confirmed")
    assert confirmed.count() == 1 and confirmed.locator(f"input[name=claim][value='{claim}']").count() == 1
    assert page.locator("#reviewed").inner_text() == "Recorded: confirmed."
    page.screenshot(path=ARTIFACTS / "document-factcheck-confirmed.png", full_page=True)
    tab.runs_nothing()


def test_search_from_the_header_finds_other_languages(tab: Tab, demo: Demo) -> None:
    page = tab.page
    page.goto("/")
    page.fill("header input[name=q]", "Project Nightwater leaked documents")
    page.click("header button[type=submit]")
    page.wait_for_url("**/search?q=*")
    results = page.locator("#results li")
    languages = {results.nth(i).locator(".lang").inner_text() for i in range(results.count())}
    assert {"en", "fr", "id"} <= languages
    page.screenshot(path=ARTIFACTS / "search.png", full_page=True)
    results.locator("a", has_text="Des documents").first.click()
    page.wait_for_url(f"**/documents/{demo.ids['A09']}")


def test_hostile_metadata_renders_as_text(tab: Tab, demo: Demo) -> None:
    page = tab.page
    page.goto(f"/documents/{demo.ids['hostile']}")
    tab.runs_nothing()
    assert page.locator("#title").inner_text() == HOSTILE["title"]
    meta = page.locator("table.meta").inner_text()
    assert HOSTILE["url"] in meta and HOSTILE["outlet"] in meta
    page.goto("/")
    tab.runs_nothing()
    assert HOSTILE["title"] in page.locator("#latest").inner_text()


def test_hostile_text_renders_as_text(tab: Tab, demo: Demo) -> None:
    page = tab.page
    page.goto(f"/documents/{demo.ids['hostile_text']}")
    tab.runs_nothing()
    assert page.locator("#title").inner_text().startswith("<script>window.__pwned = 'heading'</script>")
    text = page.locator("#text").inner_text()
    for fragment in ("<script>window.__pwned = 'text'</script>", "<img src=x onerror=", "{{ 7 * 7 }}",
                     "<a href=\"javascript:window.__pwned='link'\">"):
        assert fragment in text
    assert "49" not in text and page.locator("#text a").count() == 0
    page.screenshot(path=ARTIFACTS / "hostile.png", full_page=True)
    page.goto("/search?q=Kastrel+station+press+release")
    tab.runs_nothing()
    assert page.locator("#results li").count() >= 1


def test_api_docs_render_offline(tab: Tab) -> None:
    page = tab.page
    page.goto("/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    assert page.locator(".opblock").count() >= 6
    assert tab.errors == [], tab.errors
    page.screenshot(path=ARTIFACTS / "docs.png")
