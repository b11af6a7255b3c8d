"""Errors the fraud service tells apart."""


class ConfigurationError(Exception):
    """A setting that cannot be used: the worker says so in one line, naming it, and exits 1."""
