'use strict';
// The image's HEALTHCHECK, for every service: a worker answers on WORKER_HEALTH_PORT, the API
// (which has no WORKER_HEALTH_PORT) on PORT. Exits 0 when GET /healthz answers 200, else 1.
const http = require('node:http');

const port = Number(process.env.WORKER_HEALTH_PORT || process.env.PORT || 3000);
const request = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (response) => {
  response.resume();
  process.exit(response.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('timed out')));
request.on('error', () => process.exit(1));
