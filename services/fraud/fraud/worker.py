"""The fraud worker: polls the `fraud` task queue until SIGINT or SIGTERM, then drains (stops polling,
lets running screenings finish within WORKER_SHUTDOWN_GRACE_TIME) and exits. It waits for Temporal
at start; until it polls, /readyz answers 503. A bad setting: one line naming it, exit code 1."""

import asyncio
import logging
import signal
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from temporalio.worker import Worker

from .activities import create_screen_order
from .codec import keyring_from_env
from .config import load_config
from .connection import connect_options, connect_when_reachable, data_converter
from .errors import ConfigurationError
from .health import start_health_server
from .store import DatabaseStartError, FraudStore

TASK_QUEUE = "fraud"
_MAX_CONCURRENT_SCREENINGS = 20
_DATABASE_CHECK_EVERY_S = 1.0

log = logging.getLogger("fraud")


async def run() -> None:
    started = time.monotonic()
    config = load_config()
    keyring = keyring_from_env()
    options = connect_options()
    logging.basicConfig(level=config.log_level, format="%(levelname)s [fraud] %(message)s", stream=sys.stdout)
    worker: Worker | None = None
    database_reachable = True
    stopping = asyncio.Event()

    def on_signal() -> None:
        # A worker not yet polling has nothing to drain, so it exits at once.
        if worker is None:
            sys.exit(0)
        stopping.set()

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, on_signal)
    health = (
        start_health_server(config.health_port, lambda: worker is not None and worker.is_running and database_reachable)
        if config.health_port is not None
        else None
    )

    store = FraudStore(config.database).open()
    if keyring is None:
        log.warning("ENCRYPTION_KEYS is unset: payloads, PII included, are stored in Temporal in plaintext")
    client = await connect_when_reachable(options, data_converter(keyring), log)
    with ThreadPoolExecutor(max_workers=_MAX_CONCURRENT_SCREENINGS) as executor:
        worker = Worker(
            client,
            task_queue=TASK_QUEUE,
            activities=[create_screen_order(store, config)],
            activity_executor=executor,
            max_concurrent_activities=_MAX_CONCURRENT_SCREENINGS,
            graceful_shutdown_timeout=config.shutdown_grace,
        )
        running = asyncio.create_task(worker.run())
        log.info(
            'fraud worker polling task queue "%s" (address %s, namespace %s), started in %.2fs',
            TASK_QUEUE,
            options["target_host"],
            options["namespace"],
            time.monotonic() - started,
        )
        while not stopping.is_set() and not running.done():
            database_reachable = await asyncio.to_thread(store.is_reachable)
            await asyncio.wait([running, asyncio.create_task(stopping.wait())], timeout=_DATABASE_CHECK_EVERY_S)
        if not running.done():
            await worker.shutdown()
        await running
    if health is not None:
        health.shutdown()
    log.info("fraud worker stopped")


def main() -> None:
    try:
        asyncio.run(run())
    except (ConfigurationError, DatabaseStartError) as err:
        print(f"fraud worker: {err}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
