"""The image's HEALTHCHECK (python -m fraud.healthcheck): exits 0 when GET /healthz on WORKER_HEALTH_PORT answers 200, else 1."""

import os
import sys
import urllib.request

try:
    with urllib.request.urlopen(f"http://127.0.0.1:{os.environ.get('WORKER_HEALTH_PORT', '8080')}/healthz", timeout=2) as answer:
        sys.exit(0 if answer.status == 200 else 1)
except OSError:
    sys.exit(1)
