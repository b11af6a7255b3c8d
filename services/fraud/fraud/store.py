"""The fraud service's own data: one verdict per order (a unique key makes a retried screening
return the first answer) and the customer's recent orders for the velocity rule. SQLite by
default, PostgreSQL when FRAUD_DATABASE_URL is set; versioned migrations in the table the
TypeScript services use (services/common/migrations.ts)."""

import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import psycopg

from .config import DatabaseSettings
from .rules import Verdict

SERVICE = "fraud"
# The advisory lock every service's migrations take on a shared PostgreSQL (services/common/migrations.ts).
_MIGRATION_LOCK_KEY = 7233


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


MIGRATIONS = (
    Migration(
        1,
        "screenings, one per order",
        (
            """create table if not exists screenings (
                order_id text primary key,
                customer_id text not null,
                total_cents bigint not null,
                decision text not null check (decision in ('approve', 'review', 'reject')),
                rule text not null,
                reason text not null,
                screened_at text not null
            )""",
            "create index if not exists screenings_by_customer on screenings (customer_id, screened_at)",
        ),
    ),
)


class DatabaseStartError(Exception):
    """The database cannot be opened or migrated: one line, naming where it is."""


class _Cursor(Protocol):
    def execute(self, query: str, params: tuple[Any, ...] = ...) -> Any: ...


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class FraudStore:
    """Opens one short transaction per call, so several worker threads (and replicas) share the database."""

    def __init__(self, settings: DatabaseSettings) -> None:
        self._settings = settings
        self.dialect = "postgres" if settings.url else "sqlite"

    def open(self) -> "FraudStore":
        """Checks the database answers and brings its schema up to date."""
        where = self._settings.url_variable if self._settings.url else str(self._settings.sqlite_file)
        if self._settings.url and not re.match(r"^postgres(ql)?://[^/]+", self._settings.url):
            redacted = re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", self._settings.url)
            raise DatabaseStartError(
                f'{self._settings.url_variable} must be a URL such as postgres://user:password@host:5432/database, got "{redacted}"'
            )
        try:
            self._migrate(where)
        except DatabaseStartError:
            raise
        except (sqlite3.Error, psycopg.Error, OSError) as err:
            raise DatabaseStartError(f"cannot open the database at {where}: {str(err).strip()}") from None
        return self

    @contextmanager
    def _transaction(self, write: bool = True) -> Iterator[_Cursor]:
        """One transaction; a write one holds SQLite's write lock from its first statement (BEGIN IMMEDIATE)."""
        if self.dialect == "postgres":
            with psycopg.connect(self._settings.url, connect_timeout=3) as connection, connection.cursor() as cursor:
                yield cursor
            return
        self._settings.sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self._settings.sqlite_file, timeout=5, isolation_level=None)
        try:
            connection.execute("pragma journal_mode = wal")
            connection.execute("begin immediate" if write else "begin")
            cursor = connection.cursor()
            try:
                yield cursor
                connection.execute("commit")
            except BaseException:
                connection.execute("rollback")
                raise
        finally:
            connection.close()

    def _sql(self, query: str) -> str:
        return query.replace("?", "%s") if self.dialect == "postgres" else query

    def _migrate(self, where: str) -> None:
        latest = MIGRATIONS[-1].version
        with self._transaction() as cursor:
            if self.dialect == "postgres":
                cursor.execute(f"select pg_advisory_xact_lock({_MIGRATION_LOCK_KEY})")
            cursor.execute(
                """create table if not exists schema_migrations (
                    service text not null, version integer not null, name text not null, applied_at text not null,
                    constraint schema_migrations_once primary key (service, version))"""
            )
            cursor.execute(self._sql("select max(version) from schema_migrations where service = ?"), (SERVICE,))
            current = cursor.fetchone()[0] or 0
            if current > latest:
                raise DatabaseStartError(
                    f"{where}: the fraud database schema is at version {current}, newer than this worker knows "
                    f"({latest}); deploy the newer worker"
                )
            for migration in MIGRATIONS:
                if migration.version <= current:
                    continue
                for statement in migration.statements:
                    cursor.execute(statement)
                cursor.execute(
                    self._sql("insert into schema_migrations (service, version, name, applied_at) values (?, ?, ?, ?)"),
                    (SERVICE, migration.version, migration.name, now_iso()),
                )

    def screen_once(self, request: dict[str, Any], since: datetime, decide: Callable[[int], Verdict]) -> tuple[Verdict, bool]:
        """The order's verdict: the stored one if it was screened before, else `decide(recent orders)`, stored.
        Says whether it was stored now."""
        with self._transaction() as cursor:
            if self.dialect == "postgres":
                # Serialises the screenings of one customer, so two replicas count each other's orders.
                cursor.execute("select pg_advisory_xact_lock(hashtext(%s))", (request["customerId"],))
            stored = self._find(cursor, request["orderId"])
            if stored is not None:
                return stored, False
            cursor.execute(
                self._sql("select count(*) from screenings where customer_id = ? and screened_at >= ? and order_id <> ?"),
                (request["customerId"], since.isoformat(timespec="milliseconds").replace("+00:00", "Z"), request["orderId"]),
            )
            verdict = decide(cursor.fetchone()[0])
            cursor.execute(
                self._sql(
                    """insert into screenings (order_id, customer_id, total_cents, decision, rule, reason, screened_at)
                    values (?, ?, ?, ?, ?, ?, ?) on conflict (order_id) do nothing"""
                ),
                (
                    request["orderId"],
                    request["customerId"],
                    request["totalCents"],
                    verdict.decision,
                    verdict.rule,
                    verdict.reason,
                    now_iso(),
                ),
            )
            stored = self._find(cursor, request["orderId"])
            return stored or verdict, True

    def _find(self, cursor: _Cursor, order_id: str) -> Verdict | None:
        cursor.execute(self._sql("select decision, rule, reason from screenings where order_id = ?"), (order_id,))
        row = cursor.fetchone()
        return Verdict(*row) if row else None

    def is_reachable(self) -> bool:
        """Whether the database answers `select 1`; asked by /readyz."""
        try:
            with self._transaction(write=False) as cursor:
                cursor.execute("select 1")
            return True
        except (sqlite3.Error, psycopg.Error, OSError):
            return False
