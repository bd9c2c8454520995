"""plotly.js would write its style rules into a <style> element of its own, which the Content
Security Policy refuses; static/vendor/plotly.css holds the same rules as a file instead. These
checks fail when the bundle changes and the file is not regenerated:

    .venv/bin/python -m tests.security.test_plotly_css > static/vendor/plotly.css
"""

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "static" / "vendor"
TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "components" / "plotly_scripts.html"
# In the bundle: for (key in rules) addStyleRule(key.replace(/X/g, ...).replace(/Y/g, ...), ...)
EXPANSION = '.replace(/X/g,".js-plotly-plot .plotly").replace(/Y/g,".plotly-notifier")'
STRING = r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'"""
PAIR = re.compile(
    rf"({STRING}|[A-Za-z_$][\w$]*)\s*:\s*({STRING})"
)  # "key": "value" or key: "value"
HEADER = """/* plotly.js basic {version}: the bundle's own style rules, served as a file. The bundle would
   otherwise put them in a <style> element of its own, which the Content Security Policy refuses.
   Generated from static/vendor/plotly.min.js by tests/security/test_plotly_css.py, in the
   order the bundle would leave them (it inserts each rule first). */"""


def bundle_rules() -> list[str]:
    """The rules the bundle adds at load time, in the order the browser ends up with."""
    bundle = (STATIC / "plotly.min.js").read_text(encoding="utf-8")
    at = bundle.index(EXPANSION)
    loop = bundle.rindex("};for(", 0, at)
    start = bundle.rindex('={"X', 0, loop) + 1
    rules = []
    for key, value in PAIR.findall(bundle[start : loop + 1]):
        selector = key[1:-1] if key[0] in "\"'" else key
        selector = re.sub("^,", " ,", selector)
        selector = selector.replace("X", ".js-plotly-plot .plotly").replace("Y", ".plotly-notifier")
        rules.append(f"{selector}{{{value[1:-1]}}}")
    return list(reversed(rules))


def expected_css() -> str:
    head = (STATIC / "plotly.min.js").read_text(encoding="utf-8")[:400]
    version = re.search(r"v(\d+\.\d+\.\d+)", head)
    assert version
    return HEADER.format(version=version.group(1)) + "\n" + "\n".join(bundle_rules()) + "\n"


def test_the_bundle_still_adds_its_rules_the_known_way():
    rules = bundle_rules()
    assert len(rules) > 30
    assert ".js-plotly-plot .plotly .main-svg{position:absolute;top:0;left:0;" in "\n".join(rules)
    # The bundle leaves the rules to a linked stylesheet with this id and class.
    bundle = (STATIC / "plotly.min.js").read_text(encoding="utf-8")
    assert '"plotly.js-style-"' in bundle and '".no-inline-styles"' in bundle


def test_the_css_file_holds_exactly_the_bundles_rules():
    assert (STATIC / "plotly.css").read_text(encoding="utf-8") == expected_css(), (
        "static/vendor/plotly.css is out of date: " + __doc__.strip().splitlines()[-1].strip()
    )


def test_chart_pages_link_the_file_in_place_of_plotlys_own_style_element():
    html = TEMPLATE.read_text(encoding="utf-8")
    link = re.search(r"<link[^>]*vendor/plotly\.css[^>]*>", html)
    assert link, "templates/components/plotly_scripts.html does not link plotly.css"
    assert 'id="plotly.js-style-global"' in link.group(0)
    assert 'class="no-inline-styles"' in link.group(0)
    assert html.index("plotly.css") < html.index("plotly.min.js")


if __name__ == "__main__":
    import sys

    sys.stdout.write(expected_css())
