// Preloaded (node --require) into a worker by test/launcher.test.ts: it answers /readyz with 503
// on the port the launcher gave, and hides that port from the worker, so the worker polls its
// task queue but never reports ready.
const http = require('node:http');

const port = Number(process.env.WORKER_HEALTH_PORT);
delete process.env.WORKER_HEALTH_PORT;
http
  .createServer((_req, res) => {
    res.writeHead(503);
    res.end();
  })
  .listen(port, '127.0.0.1')
  .unref();
