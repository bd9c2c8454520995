"""Where files live: Django's STORAGES, with a "private" alias for evidence and rendered board
packs. Locally both are folders under VAR_DIR; with KLANTRAAT_S3_BUCKET set they are objects
in an S3-compatible store, so several web and worker machines share them.

Private files have no URL: only Klantraat's views, after their permission check, open and
send them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property

PRIVATE = "private"
NO_URL = "Private files have no URL: a view that checks permission sends them."


class PrivateFileSystemStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT (read when first used, so a test can point it at a
    temporary folder), outside MEDIA_ROOT and never given a URL."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError(NO_URL)


def storages_from_environment(environ: Mapping[str, str], *, static_backend: str) -> dict:
    """STORAGES for these environment variables. Without KLANTRAAT_S3_BUCKET: the file system.
    With it: the bucket, private files under the prefix KLANTRAAT_S3_PRIVATE_PREFIX (default
    "private") and CMS uploads under "media"; KLANTRAAT_S3_ENDPOINT_URL names a store other
    than Amazon's (MinIO, Ceph, a Dutch provider); keys from KLANTRAAT_S3_ACCESS_KEY_ID and
    KLANTRAAT_S3_SECRET_ACCESS_KEY, else boto3's own (AWS_* variables, an instance role)."""
    bucket = environ.get("KLANTRAAT_S3_BUCKET", "").strip()
    static = {"BACKEND": static_backend}
    if not bucket:
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            PRIVATE: {"BACKEND": "cms.storage.PrivateFileSystemStorage"},
            "staticfiles": static,
        }
    common: dict[str, Any] = {
        "bucket_name": bucket,
        "default_acl": "private",
        "file_overwrite": False,
        "querystring_auth": True,
    }
    for option, variable in (
        ("endpoint_url", "KLANTRAAT_S3_ENDPOINT_URL"),
        ("region_name", "KLANTRAAT_S3_REGION"),
        ("access_key", "KLANTRAAT_S3_ACCESS_KEY_ID"),
        ("secret_key", "KLANTRAAT_S3_SECRET_ACCESS_KEY"),
    ):
        if environ.get(variable):
            common[option] = environ[variable]
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "location": "media"},
        },
        PRIVATE: {
            "BACKEND": "cms.storage_s3.PrivateS3Storage",
            "OPTIONS": {
                **common,
                "location": environ.get("KLANTRAAT_S3_PRIVATE_PREFIX", "private").strip("/"),
            },
        },
        "staticfiles": static,
    }
