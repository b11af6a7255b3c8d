// One replica of a service in a process of its own, for the race tests: it opens the service's
// store (the compiled code, from dist/), says "ready", waits for "go" on stdin so that every
// replica calls at the same moment, makes one call and prints its result as JSON.
const path = require('node:path');
const readline = require('node:readline');

const services = path.join(__dirname, '..', '..', 'dist', 'services');
const { openDatabase } = require(path.join(services, 'common', 'database.js'));
const payment = () => require(path.join(services, 'payment', 'store.js'));

const SERVICES = {
  payment: () => [payment().paymentSchema, (database) => new (payment().PaymentStore)(database)],
  gateway: () => [
    payment().paymentSchema,
    (database) =>
      new (require(path.join(services, 'payment', 'gateway.js')).CardGateway)(database, {
        latencyMs: 0,
        failureRate: 0,
        declinedTokens: [],
      }),
  ],
  inventory: () => {
    const m = require(path.join(services, 'inventory', 'store.js'));
    return [m.inventorySchema, (database) => new m.InventoryStore(database)];
  },
  shipping: () => {
    const m = require(path.join(services, 'shipping', 'store.js'));
    return [m.shippingSchema, (database) => new m.ShippingStore(database)];
  },
  email: () => {
    const m = require(path.join(services, 'email', 'store.js'));
    return [m.emailSchema, (database) => new m.EmailStore(database)];
  },
};

async function main() {
  const [service, settings, method, args] = process.argv.slice(2);
  const [migrations, storeOf] = SERVICES[service]();
  const database = await openDatabase(JSON.parse(settings), migrations);
  const store = storeOf(database);
  const lines = readline.createInterface({ input: process.stdin });
  process.stdout.write('ready\n');
  for await (const line of lines) if (line === 'go') break;
  lines.close();
  const result = await store[method](...JSON.parse(args));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await database.close();
}

main().catch((err) => {
  process.stdout.write(`${JSON.stringify({ error: err.message })}\n`);
  process.exitCode = 1;
});
