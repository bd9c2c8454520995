"""Serves plotly.js from the installed plotly package, so the page script always matches the
Python library and no CDN is ever involved."""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_STATIC_PATH = "vendor/plotly.min.js"
_PACKAGE_DATA = Path(plotly.__file__).resolve().parent / "package_data"


class PlotlyFinder(BaseFinder):
    storage = FileSystemStorage(location=str(_PACKAGE_DATA))

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path != PLOTLY_STATIC_PATH:
            return [] if find_all else None
        match = str(_PACKAGE_DATA / "plotly.min.js")
        return [match] if find_all else match

    def list(self, ignore_patterns):
        storage = FileSystemStorage(location=str(_PACKAGE_DATA))
        storage.prefix = "vendor"
        yield "plotly.min.js", storage
