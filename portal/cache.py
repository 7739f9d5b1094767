"""The cache every process shares when there is no Redis: Django's database cache in PostgreSQL,
its table made by `createcachetable` after every `migrate` (see `create_cache_table`).

Django's database cache counts with a read and a write: two processes counting at once both
write the same number, and each count gives the key the default timeout again, so a limit of
five demands an hour would become five every five minutes. Rate limits count with `incr`, so
here it adds to the value it read only if that is still the value (compare and set), and keeps
the key's expiry.
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import connections, router
from django.utils import timezone

__all__ = ["SharedDatabaseCache", "create_cache_table"]


class SharedDatabaseCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):
        """Read, add, and write back only if nobody wrote in between (else again): two
        statements, no transaction of its own (a locked read in a transaction took four round
        trips, a fifth of an API page's time). The key's expiry stays."""
        cache_key = self.make_and_validate_key(key, version=version)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        table = connection.ops.quote_name(self._table)
        with connection.cursor() as cursor:
            while True:
                cursor.execute(
                    f"SELECT value FROM {table} WHERE cache_key = %s AND expires > %s",  # noqa: S608 -- the table name is the cache's own
                    [cache_key, timezone.now()],
                )
                row = cursor.fetchone()
                if row is None:
                    raise ValueError(f"Key '{key}' not found")
                # The value was pickled by this cache, never by a client.
                value = pickle.loads(base64.b64decode(row[0])) + delta  # noqa: S301
                pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol))
                cursor.execute(
                    f"UPDATE {table} SET value = %s WHERE cache_key = %s AND value = %s",  # noqa: S608
                    [pickled.decode("latin1"), cache_key, row[0]],
                )
                if cursor.rowcount == 1:
                    return value


def create_cache_table(using="default", **kwargs) -> None:
    """After `migrate` (the demo, a deployment, the test database): the cache's table, if the
    cache lives in the database and the table is missing."""
    call_command("createcachetable", database=using, verbosity=0)
