"""The main path of a volunteer, in a real browser, on a tablet and on a phone."""

import pytest

from .helpers import (
    EMAIL,
    PASSWORD,
    build_world,
    current_org_name,
    french_translations_compiled,
    html_lang,
    sign_in,
)

pytestmark = pytest.mark.browser


def assert_french_wording(page, *texts: str) -> None:
    """French words on screen. Runs once the French catalogue is compiled (django.mo);
    until then the interface shows its English msgids and only the language-independent
    checks (html lang, names, addresses) apply."""
    if not french_translations_compiled():
        return
    body = page.locator("body").inner_text()
    for text in texts:
        assert text in body, f"{text!r} missing from the French page {page.url}"


def test_sign_in_switch_organisation_language_and_map(visit):
    world = build_world()
    page = visit.page

    # An anonymous visit lands on the sign-in page, in French.
    visit.goto("/")
    assert page.url.startswith(visit.url("/connexion/"))
    assert html_lang(page) == "fr-CA"
    assert_french_wording(page, "Se connecter", "Mot de passe")
    visit.screenshot("signin")

    # Sign in with e-mail and password: home page of the first organisation.
    page.fill("input[name=username]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(visit.url("/"))
    assert html_lang(page) == "fr-CA"
    assert "Monique" in page.locator("h1").inner_text()
    assert current_org_name(page) == world.org_a.name
    assert world.org_a.name in page.locator("main").inner_text()
    assert_french_wording(page, "Bonjour", "Mon organisme", "Vous travaillez pour")
    visit.screenshot("home")

    # Switch organisation with the header's select and its button (no script needed).
    page.select_option("#org-switch", label=world.org_b.name)
    with page.expect_navigation():
        page.locator(".org-switcher button[type=submit]").click()
    assert page.url == visit.url("/")
    assert current_org_name(page) == world.org_b.name
    assert world.org_b.name in page.locator("main").inner_text()
    # org B is in no network: the network link is gone from the menu.
    assert page.locator(".main-nav a[href^='/reseaux/']").count() == 0

    # The visible language toggle: English, then back to French.
    with page.expect_navigation():
        page.locator(".lang-toggle button[value=en]").click()
    assert html_lang(page) == "en"
    assert page.url == visit.url("/")
    assert "Hello" in page.locator("h1").inner_text()
    assert current_org_name(page) == world.org_b.name  # the switch survived
    with page.expect_navigation():
        page.locator(".lang-toggle button[value=fr-ca]").click()
    assert html_lang(page) == "fr-CA"
    assert_french_wording(page, "Bonjour")

    # The organisation page: the sites map (without tiles) and the sites table.
    with page.expect_navigation():
        page.locator(".main-nav a[href='/organisme/']").click()
    assert page.locator("h1").inner_text() == world.org_b.name
    page.locator(".leaflet-container").wait_for()
    markers = page.locator(".leaflet-marker-icon")
    markers.first.wait_for()
    assert markers.count() == len(world.sites_b)
    table = page.locator("main table").inner_text()
    for site in world.sites_b:
        assert site.name in table
    for site in world.sites_a:
        assert site.name not in table  # the other organisation's sites stay out
    assert_french_wording(page, "Points de service")
    visit.screenshot("organisation")

    # Tiles were asked for and refused: the page works without the network.
    assert any("tile.openstreetmap.org" in url for url in visit.blocked)
    assert visit.errors == []


def test_network_page_lists_members_and_map(visit):
    world = build_world()
    sign_in(visit)
    page = visit.page
    with page.expect_navigation():
        page.locator(f".main-nav a[href='/reseaux/{world.network.slug}/']").click()
    assert page.locator("h1").inner_text() == world.network.name
    table = page.locator("main .member-list").inner_text()
    assert world.org_a.name in table
    assert "Partage des Laurentides" in table
    assert world.org_b.name not in table
    page.locator(".leaflet-marker-icon").first.wait_for()
    assert page.locator(".leaflet-marker-icon").count() == 3
    visit.screenshot()
    assert visit.errors == []


@pytest.fixture
def tablet(visit_factory):
    return visit_factory("tablet")


def test_basic_path_without_javascript(visit_factory):
    """Sign in, switch organisation, change language and read the sites with scripts off."""
    world = build_world()
    visit = visit_factory("tablet", javascript=False)
    page = visit.page
    sign_in(visit)
    assert current_org_name(page) == world.org_a.name
    # Switching from a page about one of org A's sites lands on org B's home, not a 404.
    visit.goto(f"/organisme/sites/{world.sites_a[0].pk}/")
    page.select_option("#org-switch", label=world.org_b.name)
    with page.expect_navigation():
        page.locator(".org-switcher button[type=submit]").click()
    assert page.url == visit.url("/")
    assert current_org_name(page) == world.org_b.name
    with page.expect_navigation():
        page.locator(".lang-toggle button[value=en]").click()
    assert html_lang(page) == "en"
    with page.expect_navigation():
        page.locator(".main-nav a[href='/organisme/']").click()
    # No map without scripts: the fallback text says so, the table gives the same places.
    assert page.locator(".map-fallback").is_visible()
    table = page.locator("main table").inner_text()
    for site in world.sites_b:
        assert site.name in table
    visit.screenshot("organisation")


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name"),
                    cls: el.className, outline: style.outlineStyle, shadow: style.boxShadow};
        }"""
    )


def _tab_to(page, name: str, limit: int = 30) -> None:
    """Press Tab until the field called `name` has the focus (it may already have it)."""
    for _ in range(limit):
        if _focused(page)["name"] == name:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached the field {name!r}")


def test_keyboard_only(tablet):
    build_world()
    visit, page = tablet, tablet.page

    # Sign in with the keyboard alone.
    visit.goto("/connexion/")
    _tab_to(page, "username")
    page.keyboard.type(EMAIL)
    _tab_to(page, "password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == visit.url("/")

    # On a fresh page, the first Tab shows the skip link; Enter puts the focus on the content.
    for path in ("/", "/organisme/", "/mot-de-passe/oublie/"):
        visit.goto(path)
        page.keyboard.press("Tab")
        focused = _focused(page)
        assert "skip-link" in focused["cls"], (path, focused)
        assert focused["outline"] != "none", "the focus must be visible"
        box = page.locator(".skip-link").bounding_box()
        assert box and box["y"] >= 0 and box["height"] >= 44, "skip link on screen when focused"
        if path == "/":
            visit.screenshot("skip-link")
        page.keyboard.press("Enter")
        assert _focused(page)["id"] == "contenu", path


def test_people_search_updates_as_you_type(visit):
    """htmx enhancement: the list filters while typing; the URL keeps the search."""
    build_world()
    page = visit.page
    sign_in(visit)
    visit.goto("/organisme/personnes/")
    rows = page.locator("#people-results tbody tr")
    assert rows.count() == 2
    page.locator("#q").press_sequentially("Gérard", delay=30)
    page.wait_for_function("document.querySelectorAll('#people-results tbody tr').length === 1")
    assert "Lévesque-Beauchamp" in rows.first.inner_text()
    assert "q=G" in page.url
    assert not visit.errors
    visit.screenshot("search")
