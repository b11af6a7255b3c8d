"""The screening rules: plain functions of the order and the customer's recent orders, so every
answer can be explained and reproduced. Rejecting rules are asked first, then reviewing ones."""

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class ScreeningPolicy:
    reject_above_cents: int
    review_above_cents: int
    # 0 turns the velocity rule off.
    velocity_max_orders: int
    velocity_window: timedelta
    review_country_mismatch: bool
    blocked_countries: frozenset[str]


@dataclass(frozen=True)
class Verdict:
    decision: str
    rule: str
    reason: str


def _money(cents: int) -> str:
    return f"{cents / 100:.2f}"


def decide(request: dict, recent_orders: int, policy: ScreeningPolicy) -> Verdict:
    """The verdict on one order; `recent_orders` counts the customer's other orders screened within the velocity window."""
    total = request["totalCents"]
    shipping = request["shippingCountry"]
    billing = request.get("billingCountry")
    if shipping in policy.blocked_countries:
        return Verdict("reject", "blocked-country", f"shipping country {shipping} is in FRAUD_BLOCKED_COUNTRIES")
    if billing is not None and billing in policy.blocked_countries:
        return Verdict("reject", "blocked-country", f"billing country {billing} is in FRAUD_BLOCKED_COUNTRIES")
    if total > policy.reject_above_cents:
        limit = _money(policy.reject_above_cents)
        return Verdict("reject", "amount-reject", f"total {_money(total)} is above the reject limit {limit}")
    if total > policy.review_above_cents:
        limit = _money(policy.review_above_cents)
        return Verdict("review", "amount-review", f"total {_money(total)} is above the review limit {limit}")
    if policy.velocity_max_orders > 0 and recent_orders >= policy.velocity_max_orders:
        window = int(policy.velocity_window.total_seconds())
        return Verdict(
            "review",
            "velocity",
            f"customer placed {recent_orders} other orders in the last {window}s (limit {policy.velocity_max_orders})",
        )
    if policy.review_country_mismatch and billing is not None and billing != shipping:
        return Verdict("review", "country-mismatch", f"billing country {billing} differs from shipping country {shipping}")
    return Verdict("approve", "all-clear", "no rule matched")
