"""A real Temporal dev server for the whole test session: the CLI the project provisions, headless, on free ports."""

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def temporal_cli() -> str:
    return (
        os.environ.get("TEMPORAL_CLI")
        or subprocess.run(["bash", str(ROOT / "scripts" / "temporal-cli.sh")], check=True, capture_output=True, text=True).stdout.strip()
    )


@pytest.fixture(scope="session")
def temporal_address() -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [
            *(temporal_cli(), "server", "start-dev", "--headless", "--ip", "127.0.0.1", "--port", str(port)),
            *("--http-port", str(free_port()), "--metrics-port", str(free_port()), "--log-level", "error"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    address = f"127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError(f"the Temporal dev server did not listen on {address}") from None
            time.sleep(0.1)
    yield address
    server.terminate()
    server.wait(timeout=10)
