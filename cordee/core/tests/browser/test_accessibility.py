"""Automated accessibility checks: axe-core (WCAG 2.2 A/AA + best practices), text size and
target size, on the main pages at tablet and phone sizes.

axe finds perhaps a third of the real problems; the main-path tests and a person with a
screen reader find the rest.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .helpers import build_world, sign_in

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}
MIN_TEXT_PX = 18
MIN_TARGET_PX = 44

# Controls that must be easy to hit: the header, the menu, and everything in forms and
# action rows. Links inside running text are exempt (WCAG 2.5.8, "inline").
TARGETS = ", ".join(
    [
        ".site-header a",
        ".site-header button",
        ".site-header select",
        "main form button",
        "main form select",
        "main form input:not([type=hidden]):not([type=checkbox]):not([type=radio])",
        "main form textarea",
        "main form .choice",
        "main .actions a",
        "main .links a",
        "main .back a",
        ".next-steps .button",
        "main .button",
        ".leaflet-control-zoom a",
    ]
)
SIZES_JS = """(selector) => {
    const visible = (el) => {
        const r = el.getBoundingClientRect();
        return r.width > 1 && r.height > 1 && getComputedStyle(el).visibility !== "hidden";
    };
    const describe = (el) => el.outerHTML.slice(0, 120).replace(/\\s+/g, " ");
    const small_text = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const el = walker.currentNode.parentElement;
        if (!walker.currentNode.textContent.trim() || !visible(el)) continue;
        if (el.closest(".leaflet-control-attribution")) continue;  // the map credit
        const px = parseFloat(getComputedStyle(el).fontSize);
        if (px < 18) small_text.push({px, el: describe(el)});
    }
    return {
        body: parseFloat(getComputedStyle(document.body).fontSize),
        small_text,
        targets: [...document.querySelectorAll(selector)].filter(visible)
            .map((el) => ({h: el.getBoundingClientRect().height, el: describe(el)})),
    };
}"""


def _pages(world) -> list[tuple[str, str]]:
    """(name, path) of the pages to check once signed in."""
    return [
        ("home", "/"),
        ("organisation", "/organisme/"),
        ("network", f"/reseaux/{world.network.slug}/"),
        ("people", "/organisme/personnes/"),
        ("site-form", "/organisme/sites/nouveau/"),
        ("site-detail", f"/organisme/sites/{world.sites_a[0].pk}/"),
        ("audit-log", "/organisme/journal/"),
    ]


def _open(visit, path: str) -> None:
    visit.goto(path)
    if visit.page.locator("#map-points").count():
        visit.page.locator(".leaflet-marker-icon").first.wait_for()  # check the drawn map


def _report(name: str, results) -> list[str]:
    lines = []
    for v in results.response["violations"]:
        targets = "; ".join(", ".join(map(str, n["target"])) for n in v["nodes"][:5])
        lines.append(
            f"[{name}] {v['impact']}: {v['id']} — {v['help']} ({len(v['nodes'])}×: {targets})"
        )
    return lines


def test_axe_finds_no_serious_problem(visit):
    world = build_world()
    axe = Axe()
    found: list[str] = []
    blocking = 0

    def check(name: str) -> None:
        nonlocal blocking
        results = axe.run(visit.page, options=AXE_OPTIONS)
        found.extend(_report(name, results))
        blocking += sum(v["impact"] in BLOCKING for v in results.response["violations"])

    visit.goto("/connexion/")
    check("sign-in")
    visit.page.locator("main form button[type=submit]").click()  # empty: errors shown
    visit.page.locator(".has-error").first.wait_for()
    check("sign-in-errors")

    sign_in(visit)
    for name, path in _pages(world):
        _open(visit, path)
        check(name)
        visit.screenshot(name)

    visit.goto("/organisme/sites/nouveau/")
    visit.page.select_option("#id_hours-0-weekday", "1")  # a day without its hours
    visit.page.locator("main form button[type=submit]").click()
    visit.page.locator(".form-errors").wait_for()
    assert visit.page.locator(".form-errors li").count() == 3  # name, kind, opening 1
    check("site-form-errors")
    visit.screenshot("site-form-errors")
    # The summary links to each field to correct; following a link puts the focus there.
    visit.page.locator(".form-errors a[href='#id_name']").click()
    assert visit.page.evaluate("document.activeElement.id") == "id_name"

    print("\n".join(found))
    assert blocking == 0, "axe found serious or critical problems:\n" + "\n".join(found)


def test_text_is_large_and_targets_are_big_enough(visit):
    world = build_world()
    problems: list[str] = []

    def measure(name: str) -> None:
        sizes = visit.page.evaluate(SIZES_JS, TARGETS)
        if sizes["body"] < MIN_TEXT_PX:
            problems.append(f"[{name}] body text is {sizes['body']}px")
        problems.extend(f"[{name}] text in {t['px']:.1f}px: {t['el']}" for t in sizes["small_text"])
        problems.extend(
            f"[{name}] {t['h']:.0f}px tall: {t['el']}"
            for t in sizes["targets"]
            if t["h"] < MIN_TARGET_PX - 0.5
        )

    visit.goto("/connexion/")
    measure("sign-in")
    sign_in(visit)
    for name, path in _pages(world):
        _open(visit, path)
        measure(name)
    visit.goto("/organisme/sites/nouveau/")
    visit.page.locator("main form button[type=submit]").click()
    visit.page.locator(".form-errors").wait_for()
    visit.page.wait_for_load_state("load")  # the stylesheet too, on a busy machine
    measure("site-form-errors")
    assert not problems, "\n".join(problems)
