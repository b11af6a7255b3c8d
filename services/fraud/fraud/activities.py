"""screenOrder: the fraud service's one activity, a thin adapter between Temporal, the rules and the store."""

import time
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from temporalio import activity

from .config import FraudConfig
from .contract import check_request, check_verdict
from .rules import decide
from .store import FraudStore

_HEARTBEAT_EVERY_S = 0.5


def create_screen_order(store: FraudStore, config: FraudConfig):
    """The activity, bound to the service's store and policy."""

    @activity.defn(name="screenOrder")
    def screen_order(request: Any) -> dict[str, Any]:
        """Approve, review or reject one order, and say which rule decided; a second call returns the first answer."""
        checked = check_request(request)
        _simulate_latency(config.screening_delay.total_seconds())
        since = datetime.now(UTC) - config.policy.velocity_window
        verdict, stored_now = store.screen_once(checked, since, lambda recent: decide(checked, recent, config.policy))
        activity.logger.info(
            "order %s screened: %s by rule %s (%s)%s",
            checked["orderId"],
            verdict.decision,
            verdict.rule,
            verdict.reason,
            "" if stored_now else ", as before",
        )
        return check_verdict({"orderId": checked["orderId"], **asdict(verdict)})

    return screen_order


def _simulate_latency(seconds: float) -> None:
    """A slow screening (FRAUD_SCREENING_DELAY_MS), heartbeating so a dead worker is noticed within the heartbeat timeout."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        activity.heartbeat()
        time.sleep(min(left, _HEARTBEAT_EVERY_S))
