"""The one data contract of screenOrder (contracts/fraud-screening.schema.json), shared with TypeScript."""

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from temporalio.exceptions import ApplicationError

CONTRACT_FILE = Path(__file__).resolve().parents[3] / "contracts" / "fraud-screening.schema.json"
INVALID_INPUT = "InvalidScreeningInput"

_schema = json.loads(CONTRACT_FILE.read_text())
_request = Draft202012Validator(_schema["$defs"]["ScreeningRequest"])
_verdict = Draft202012Validator(_schema["$defs"]["ScreeningVerdict"])


def _field(error: ValidationError) -> str:
    path = [str(part) for part in error.absolute_path]
    if error.validator == "required":
        path.append(str(error.message).split("'")[1])
    if error.validator == "additionalProperties":
        path.append(str(error.message).split("'")[1])
    return ".".join(path) or "(the input)"


def check_request(request: Any) -> dict[str, Any]:
    """The request, if it fits the contract; otherwise a non-retryable ApplicationError naming the field."""
    error = best_match(_request.iter_errors(request))
    if error is not None:
        field = _field(error)
        raise ApplicationError(f"invalid screening input: {field}: {error.message}", field, type=INVALID_INPUT, non_retryable=True)
    return request


def check_verdict(verdict: dict[str, Any]) -> dict[str, Any]:
    """The verdict, checked against the contract before it leaves the worker, so the two languages cannot drift."""
    _verdict.validate(verdict)
    return verdict
