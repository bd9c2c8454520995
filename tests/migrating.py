"""Moving the test database between migration states, for the tests of data migrations."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.graph import MigrationGraph


def migration_graph() -> MigrationGraph:
    return MigrationExecutor(connection).loader.graph


def migrate(targets=None, state_at=None):
    """Migrate to ``targets`` (every app's latest migration when None, the state later tests
    need) and return the apps of ``state_at`` (that same state when None)."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    # Content types may have moved between apps: never answer from the old state's cache.
    ContentType.objects.clear_cache()
    return executor.loader.project_state(state_at or targets).apps
