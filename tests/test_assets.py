"""The asset build: GOV.UK Frontend and MoJ Frontend compiled with the council's look."""

from pathlib import Path

import pytest

BUILD = Path(__file__).resolve().parents[1] / "build" / "static"


@pytest.fixture(scope="module")
def stylesheet() -> str:
    path = BUILD / "css" / "app.css"
    assert path.exists(), "build/static/css/app.css is missing: run `make setup`"
    return path.read_text(encoding="utf-8")


def test_it_compiles_the_moj_case_work_patterns_into_the_stylesheet(stylesheet):
    for selector in (".moj-filter-layout", ".moj-filter", ".moj-timeline", ".moj-badge", ".moj-sub-navigation"):
        assert selector in stylesheet, selector
    assert '[aria-sort] button' in stylesheet


def test_it_keeps_the_council_font_stack_in_the_moj_styles(stylesheet):
    assert "GDS Transport" not in stylesheet
    assert "system-ui" in stylesheet


def test_the_moj_icons_the_stylesheet_points_at_are_built(stylesheet):
    import re

    urls = set(re.findall(r"url\(\"?(/static/moj/images/[^)\"]+)\"?\)", stylesheet))
    assert urls, "the MoJ styles should point at their icons under /static/moj/images/"
    for url in urls:
        assert (BUILD / url.removeprefix("/static/")).exists(), url


def test_the_moj_scripts_are_built_beside_the_govuk_ones():
    assert (BUILD / "js" / "moj-frontend.min.js").exists()
    assert (BUILD / "js" / "govuk-frontend.min.js").exists()
