"""The fraud service: screens an order before it is charged."""
