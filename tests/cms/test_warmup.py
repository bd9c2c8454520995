"""A web process does its first-use work when it starts (cms.wsgi calls cms.warmup), so the
first visitor of each worker after a deploy waits no longer than the next one."""

import json
import logging
import os
import subprocess
import sys

from django.conf import settings
from django.test import override_settings

from cms.warmup import project_templates, warm_up

STARTED = """
import json, sys
import cms.wsgi
from django.template import engines
from django.urls import get_resolver
loader = engines["django"].engine.template_loaders[0]
print(json.dumps({
    "languages": sorted(get_resolver()._reverse_dict),
    "views_loaded": "honeycomb.views" in sys.modules and "actions.views_cycle" in sys.modules,
    "cached": sorted(key for key in getattr(loader, "get_template_cache", {})),
}))
"""


def test_the_wsgi_application_starts_with_urls_names_and_templates_ready():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", STARTED],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    started = json.loads(done.stdout.strip().splitlines()[-1])
    assert started["languages"] == sorted(code for code, _ in settings.LANGUAGES)
    assert started["views_loaded"]
    for name in ("base.html", "honeycomb/results.html", "actions/dashboard.html"):
        assert name in started["cached"], name


def test_every_project_template_is_compiled():
    names = project_templates()
    assert "honeycomb/results.html" in names and "base.html" in names
    assert warm_up() == len(names)


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
)
def test_an_unreachable_cache_does_not_stop_the_start(caplog):
    with caplog.at_level(logging.WARNING, logger="cms.warmup"):
        assert warm_up() == len(project_templates())
    assert "The cache did not answer" in caplog.text
