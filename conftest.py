"""Shared fixtures: two organisations with every role, a small published model and rounds."""

import pytest

from core.models import Role
from tests import factories


@pytest.fixture
def version(db):
    return factories.model_version()


@pytest.fixture
def org_a(db):
    return factories.OrganisationFactory(name="Woonstichting Alfa", slug="alfa")


@pytest.fixture
def org_b(db):
    return factories.OrganisationFactory(name="Woonstichting Beta", slug="beta")


@pytest.fixture
def people(org_a, org_b):
    """Every role in A and B, plus a consultant of B only."""
    people = {}
    for label, org in (("a", org_a), ("b", org_b)):
        for role in Role.values:
            people[f"{role}_{label}"] = factories.member(
                org, role, email=f"{role}-{label}@example.org"
            )
    return people


@pytest.fixture
def round_a(org_a, version):
    return factories.scan_round(org_a, version=version)


@pytest.fixture
def round_b(org_b, version):
    return factories.scan_round(org_b, version=version)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits live in the cache: every test starts with a clean slate."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """A request to an /en/ page leaves English active in the test's thread, and reverse()
    would then build /en/ URLs in the next test: every test starts in the default language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _private_files(tmp_path, settings):
    """Evidence and board packs of a test go to a folder of its own (the "private" storage
    reads PRIVATE_MEDIA_ROOT when it is changed), never to var/private."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
