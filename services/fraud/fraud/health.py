"""/healthz (the process answers) and /readyz (it polls and its database answers), as the TypeScript workers serve them."""

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def start_health_server(port: int, is_ready: Callable[[], bool]) -> ThreadingHTTPServer:
    """Serves the probes on a daemon thread; `is_ready` is asked on every request."""

    class Probes(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            known = self.path in ("/healthz", "/readyz")
            ok = self.path == "/healthz" or (self.path == "/readyz" and is_ready())
            status = "ok" if ok else "unavailable" if known else "not found"
            body = json.dumps({"status": status}).encode()
            self.send_response(200 if ok else 503 if known else 404)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("0.0.0.0", port), Probes)
    threading.Thread(target=server.serve_forever, name="health", daemon=True).start()
    return server
