"""The header in Chromium: the council's name stays on one line from desktop width up, and the
coloured strip under the header spans the same width as the header, on every screen."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, _page, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# GOV.UK Frontend's desktop breakpoint is 769px; 1024 and 1280 are common laptop widths.
DESKTOP_WIDTHS = (769, 1024, DESKTOP["width"])
NAMES = ("Northmoor District Council", "Royal Borough of Windsor and Maidenhead")

MEASURE = """() => {
  const name = document.querySelector('.app-header__council-name');
  const masthead = document.querySelector('header.app-masthead');
  const header = masthead.querySelector('.govuk-header');
  const style = getComputedStyle(header);
  const strip = parseFloat(style.borderBottomWidth);
  const box = header.getBoundingClientRect();
  return {
    nameLines: name.getClientRects().length,
    nameRight: name.getBoundingClientRect().right,
    headerLeft: box.left,
    headerWidth: box.width,
    mastheadWidth: masthead.getBoundingClientRect().width,
    strip,
    stripColour: style.borderBottomColor,
    headerColour: style.backgroundColor,
    containerStrip: parseFloat(getComputedStyle(header.querySelector('.govuk-header__container')).borderBottomWidth),
    pageWidth: document.documentElement.scrollWidth,
  };
}"""


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("width", DESKTOP_WIDTHS)
def test_the_council_name_is_on_one_line_from_desktop_width_up(new_context, live_server, settings, name, width):
    settings.COUNCIL_NAME = name
    page = _page(new_context(viewport={"width": width, "height": 800}), live_server)
    page.goto("/")
    sizes = page.evaluate(MEASURE)
    shoot(page, f"header-{width}-{len(name)}")
    assert sizes["nameLines"] == 1, f"{name!r} wraps at {width}px"
    assert sizes["nameRight"] <= width, f"{name!r} runs off a {width}px screen"
    assert sizes["pageWidth"] <= width


@pytest.mark.parametrize("viewport", [DESKTOP, {"width": 769, "height": 800}, PHONE], ids=["desktop", "769", "phone"])
def test_the_strip_under_the_header_spans_the_width_of_the_header(new_context, live_server, viewport):
    page = _page(new_context(viewport=viewport), live_server)
    page.goto("/")
    sizes = page.evaluate(MEASURE)
    assert sizes["strip"] >= 8, "the strip is drawn under the header"
    assert sizes["stripColour"] != sizes["headerColour"], "the strip is a different shade from the header"
    assert sizes["containerStrip"] == 0, "GOV.UK's narrower strip under the content is not drawn as well"
    assert sizes["headerLeft"] == 0
    assert sizes["headerWidth"] == sizes["mastheadWidth"] == viewport["width"]
