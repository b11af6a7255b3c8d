import http from 'node:http';

/**
 * Serves /healthz (the process answers) and /readyz (it is doing its job) for Kubernetes
 * probes. `isReady` is asked on every request.
 */
export function startHealthServer(port: number, isReady: () => boolean): http.Server {
  return http
    .createServer((req, res) => {
      const ok = req.url === '/healthz' || (req.url === '/readyz' && isReady());
      const known = req.url === '/healthz' || req.url === '/readyz';
      res.writeHead(ok ? 200 : known ? 503 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ok ? 'ok' : known ? 'unavailable' : 'not found' }));
    })
    .listen(port);
}
