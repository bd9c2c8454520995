"""The charts' script: plotly.js basic from our own static files, matching the Python package."""

import re

from django.contrib.staticfiles import finders
from plotly.offline import get_plotlyjs_version

from honeycomb import charts

BUNDLE = "vendor/plotly.min.js"


def bundle_head() -> str:
    path = finders.find(BUNDLE)
    assert path, f"{BUNDLE} is not among the static files"
    with open(path, encoding="utf-8") as handle:
        return handle.read(400)


def test_bundle_is_plotly_basic_of_the_installed_plotly_version():
    match = re.search(r"plotly\.js \(basic - minified\) v(\d+\.\d+\.\d+)", bundle_head())
    assert match, "static/vendor/plotly.min.js is not the plotly.js basic bundle"
    assert match.group(1) == get_plotlyjs_version()


def test_charts_use_only_traces_of_the_basic_bundle():
    # The basic bundle holds scatter, bar and pie; a chart with another trace type would stay
    # blank in the browser.
    basic = {"scatter", "bar", "pie"}
    used = {
        name.lower()
        for name in re.findall(r"go\.([A-Z][a-zA-Z]+)\(", open(charts.__file__).read())
        if name != "Figure"
    }
    assert used and used <= basic
