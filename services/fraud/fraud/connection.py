"""The connection to Temporal, from the settings Temporal's CLI reads (TEMPORAL_ADDRESS,
TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE), through
temporalio.envconfig, with the data converter every service shares."""

import asyncio
import dataclasses
import logging
import os
import re
from pathlib import Path
from typing import Any

from temporalio.client import Client
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes
from temporalio.envconfig import ClientConfigProfile
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from .codec import EncryptionCodec, EncryptionKeyring
from .errors import ConfigurationError

_SETTINGS = (
    "TEMPORAL_ADDRESS",
    "TEMPORAL_NAMESPACE",
    "TEMPORAL_API_KEY",
    "TEMPORAL_TLS",
    "TEMPORAL_TLS_CLIENT_CERT_PATH",
    "TEMPORAL_TLS_CLIENT_KEY_PATH",
    "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
    "TEMPORAL_TLS_SERVER_NAME",
    "TEMPORAL_PROFILE",
    "TEMPORAL_CONFIG_FILE",
)
_TLS_FILES = {
    "TEMPORAL_TLS_CLIENT_CERT_PATH": "client_cert",
    "TEMPORAL_TLS_CLIENT_KEY_PATH": "client_private_key",
    "TEMPORAL_TLS_SERVER_CA_CERT_PATH": "server_root_ca_cert",
}


def connect_options() -> dict[str, Any]:
    """Client.connect's arguments from the environment; a bad setting is a ConfigurationError naming it."""
    settings = {name: os.environ[name] for name in _SETTINGS if os.environ.get(name)}
    for name in _TLS_FILES:
        if name in settings and not os.access(settings[name], os.R_OK):
            raise ConfigurationError(f"{name}: cannot read {settings[name]}")
    if ("TEMPORAL_TLS_CLIENT_CERT_PATH" in settings) != ("TEMPORAL_TLS_CLIENT_KEY_PATH" in settings):
        raise ConfigurationError(
            "TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH go together: mTLS needs the certificate and its key"
        )
    config_file = settings.get("TEMPORAL_CONFIG_FILE")
    try:
        # A profile file is read from TEMPORAL_CONFIG_FILE alone, never from the home folder of whoever runs the worker.
        profile = ClientConfigProfile.load(
            profile=settings.get("TEMPORAL_PROFILE"),
            config_source=Path(config_file) if config_file else None,
            disable_file=config_file is None,
            override_env_vars=settings,
        )
    except Exception as err:
        setting = "TEMPORAL_PROFILE" if "TEMPORAL_PROFILE" in settings and "rofile" in str(err) else "TEMPORAL_CONFIG_FILE"
        raise ConfigurationError(f"{setting}: {err}") from None
    options: dict[str, Any] = {"target_host": "localhost:7233", "namespace": "default"}
    options.update(profile.to_client_connect_config())
    return options


def data_converter(keyring: EncryptionKeyring | None) -> DataConverter:
    """Payloads encrypted with the keyring, failures' messages and stack traces too; plaintext without one."""
    if keyring is None:
        return DataConverter.default
    return dataclasses.replace(
        DataConverter.default,
        payload_codec=EncryptionCodec(keyring),
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )


def runtime(metrics_address: str | None) -> Runtime:
    """The SDK's runtime: Prometheus metrics on METRICS_BIND_ADDRESS (host:port) when it is set, as the TypeScript workers serve them."""
    if metrics_address is None:
        return Runtime.default()
    try:
        return Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=metrics_address)))
    except Exception as err:
        raise ConfigurationError(f'METRICS_BIND_ADDRESS must be host:port, free to listen on, got "{metrics_address}" ({err})') from None


async def connect_when_reachable(options: dict[str, Any], converter: DataConverter, log: logging.Logger) -> Client:
    """Connects, retrying with backoff while Temporal is unreachable, one line per attempt, so the worker never crash-loops."""
    sdk_runtime = runtime(os.environ.get("METRICS_BIND_ADDRESS") or None)
    attempt = 1
    while True:
        try:
            return await Client.connect(**options, data_converter=converter, runtime=sdk_runtime)
        except RuntimeError as err:
            message = str(err)
            reason = re.search(r'message: "([^"]+)"', message)
            if "invalid" in message.lower() and "uri" in message.lower():
                raise ConfigurationError(f"TEMPORAL_ADDRESS: {message}") from None
            delay = min(0.5 * 2 ** (attempt - 1), 10)
            log.warning(
                "Temporal is not reachable at %s (%s); attempt %d, trying again in %gs",
                options["target_host"],
                reason.group(1) if reason else message.splitlines()[0],
                attempt,
                delay,
            )
            await asyncio.sleep(delay)
            attempt += 1
