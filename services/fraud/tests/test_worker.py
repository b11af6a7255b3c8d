"""The worker process (python -m fraud) on a real Temporal dev server, called from a workflow as OrderWorkflow calls it."""

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio import workflow
from temporalio.client import Client, WorkflowFailureError
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError
from temporalio.worker import Worker

from fraud.codec import EncryptionKeyring
from fraud.connection import data_converter

from .conftest import free_port
from .test_codec_interop import KEYS


@workflow.defn(sandboxed=False)
class ScreenOnce:
    @workflow.run
    async def run(self, request: dict) -> dict:
        return await workflow.execute_activity(
            "screenOrder",
            request,
            task_queue="fraud",
            start_to_close_timeout=timedelta(seconds=10),
            retry_policy=RetryPolicy(initial_interval=timedelta(milliseconds=200)),
        )


class FraudWorker:
    def __init__(self, address: str, data_dir: Path, **env: str) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "fraud"],
            env={
                **os.environ,
                "PYTHONUNBUFFERED": "1",
                "TEMPORAL_ADDRESS": address,
                "TEMPORAL_NAMESPACE": "default",
                "DATA_DIR": str(data_dir),
                "ENCRYPTION_KEYS": KEYS,
                "WORKER_HEALTH_PORT": str(self.port),
                "WORKER_SHUTDOWN_GRACE_TIME": "2s",
                **env,
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=1) as answer:
                return answer.status == 200
        except OSError:
            return False

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not self.ready():
            assert self.process.poll() is None, self.process.stdout.read()
            assert time.monotonic() < deadline, "the fraud worker was not ready in time"
            time.sleep(0.05)

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        output, _ = self.process.communicate(timeout=15)
        return output


@pytest.fixture
def fraud_worker(temporal_address, tmp_path):
    worker = FraudWorker(temporal_address, tmp_path, FRAUD_REVIEW_ABOVE_CENTS="50000", FRAUD_BLOCKED_COUNTRIES="KP")
    worker.wait_ready()
    yield worker
    worker.stop()


async def screen(address: str, request: dict) -> dict:
    client = await Client.connect(address, data_converter=data_converter(EncryptionKeyring.parse(KEYS, "KEYS")))
    queue = f"test-{uuid.uuid4()}"
    async with Worker(client, task_queue=queue, workflows=[ScreenOnce]):
        return await client.execute_workflow(ScreenOnce.run, request, id=f"screen-{uuid.uuid4()}", task_queue=queue)


def order(**fields) -> dict:
    return {"orderId": f"o-{uuid.uuid4()}", "customerId": "c-ada", "totalCents": 1_000, "shippingCountry": "GB", **fields}


def test_the_worker_approves_an_ordinary_order_over_encrypted_payloads(temporal_address, fraud_worker):
    request = order()
    verdict = asyncio.run(screen(temporal_address, request))
    assert verdict == {"orderId": request["orderId"], "decision": "approve", "rule": "all-clear", "reason": "no rule matched"}


def test_the_worker_answers_review_and_reject_naming_the_rule(temporal_address, fraud_worker):
    assert asyncio.run(screen(temporal_address, order(totalCents=60_000)))["rule"] == "amount-review"
    assert asyncio.run(screen(temporal_address, order(shippingCountry="KP")))["decision"] == "reject"


def test_screening_an_order_again_returns_the_first_verdict(temporal_address, fraud_worker):
    first = order()
    asyncio.run(screen(temporal_address, first))
    again = asyncio.run(screen(temporal_address, {**first, "totalCents": 60_000}))
    assert (again["decision"], again["rule"]) == ("approve", "all-clear")


def test_a_malformed_input_fails_at_once_naming_the_field_and_the_worker_keeps_running(temporal_address, fraud_worker):
    with pytest.raises(WorkflowFailureError) as failed:
        asyncio.run(screen(temporal_address, order(shippingCountry="Britain")))
    cause = failed.value.cause
    assert isinstance(cause, ActivityError)
    assert isinstance(cause.cause, ApplicationError)
    assert cause.cause.type == "InvalidScreeningInput"
    assert cause.cause.non_retryable
    assert "shippingCountry" in cause.cause.message
    assert fraud_worker.ready()
    assert asyncio.run(screen(temporal_address, order()))["decision"] == "approve"


def test_a_missing_field_is_named(temporal_address, fraud_worker):
    request = order()
    del request["customerId"]
    with pytest.raises(WorkflowFailureError) as failed:
        asyncio.run(screen(temporal_address, request))
    assert "customerId" in failed.value.cause.cause.message


def test_sigterm_drains_and_exits_cleanly(fraud_worker):
    output = fraud_worker.stop()
    assert fraud_worker.process.returncode == 0
    assert "fraud worker stopped" in output


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("FRAUD_REVIEW_ABOVE_CENTS", "lots"),
        ("ENCRYPTION_KEYS", "k1:short"),
        ("FRAUD_BLOCKED_COUNTRIES", "Narnia"),
        ("FRAUD_DATABASE_URL", "mysql://db"),
        ("TEMPORAL_TLS_CLIENT_CERT_PATH", "/nonexistent/cert.pem"),
    ],
)
def test_a_bad_setting_stops_the_worker_with_one_line_naming_it(temporal_address, tmp_path, setting, value):
    worker = FraudWorker(temporal_address, tmp_path, **{setting: value})
    output = worker.process.communicate(timeout=20)[0].strip()
    assert worker.process.returncode == 1
    assert len(output.splitlines()) == 1, output
    assert setting in output


def test_the_worker_waits_for_temporal_instead_of_crashing(tmp_path):
    worker = FraudWorker(f"127.0.0.1:{free_port()}", tmp_path)
    second_attempt = next(line for line in iter(worker.process.stdout.readline, "") if "attempt 2" in line)
    assert worker.process.poll() is None
    assert not worker.ready()
    worker.stop()
    assert "Temporal is not reachable" in second_attempt
