from datetime import timedelta

from fraud.rules import ScreeningPolicy, decide

POLICY = ScreeningPolicy(
    reject_above_cents=1_000_000,
    review_above_cents=200_000,
    velocity_max_orders=3,
    velocity_window=timedelta(hours=1),
    review_country_mismatch=True,
    blocked_countries=frozenset({"KP"}),
)


def order(**fields):
    return {"orderId": "o-1", "customerId": "c-1", "totalCents": 1_000, "shippingCountry": "GB", **fields}


def test_an_ordinary_order_is_approved_and_says_no_rule_matched():
    verdict = decide(order(), 0, POLICY)
    assert (verdict.decision, verdict.rule) == ("approve", "all-clear")


def test_a_total_above_the_reject_limit_is_rejected_with_both_amounts_in_the_reason():
    verdict = decide(order(totalCents=1_000_001), 0, POLICY)
    assert (verdict.decision, verdict.rule) == ("reject", "amount-reject")
    assert "10000.01" in verdict.reason and "10000.00" in verdict.reason


def test_a_total_above_the_review_limit_goes_to_review():
    assert decide(order(totalCents=200_001), 0, POLICY).rule == "amount-review"
    assert decide(order(totalCents=200_000), 0, POLICY).decision == "approve"


def test_a_customer_at_the_velocity_limit_goes_to_review_and_below_it_does_not():
    assert decide(order(), 3, POLICY).rule == "velocity"
    assert decide(order(), 2, POLICY).decision == "approve"


def test_velocity_zero_turns_the_rule_off():
    off = ScreeningPolicy(**{**POLICY.__dict__, "velocity_max_orders": 0})
    assert decide(order(), 500, off).decision == "approve"


def test_a_billing_country_other_than_the_shipping_country_goes_to_review():
    verdict = decide(order(billingCountry="FR"), 0, POLICY)
    assert (verdict.decision, verdict.rule) == ("review", "country-mismatch")
    assert decide(order(billingCountry="GB"), 0, POLICY).decision == "approve"


def test_a_blocked_country_rejects_before_any_review_rule():
    verdict = decide(order(shippingCountry="KP", totalCents=300_000), 5, POLICY)
    assert (verdict.decision, verdict.rule) == ("reject", "blocked-country")
