"""The private alias on an S3-compatible store (a module of its own, so a site without a
bucket never imports boto3)."""

from storages.backends.s3 import S3Storage

from cms.storage import NO_URL


class PrivateS3Storage(S3Storage):
    """Objects readable with the store's keys only: no public ACL and no URL."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError(NO_URL)
