import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { EncryptionCodec } from '../../services/common/encryption-codec';
import { EncryptionKeyring, newEncryptionKeySpec } from '../../services/common/encryption-keys';
import type { OrderInput } from '../../workflows/types';
import { BenchStack } from './lib/stack';
import { atConcurrency } from './lib/load';
import { awaitClosed, placeOrder } from './lib/orders';
import { runSummary } from './lib/stats';

// What payload encryption costs, measured by hand (after `npm run build`):
//   node dist/scripts/bench/codec.js
//   1. the codec alone: PAYLOADS realistic OrderInputs converted to payloads and back, with and
//      without AES-256-GCM, alternating rounds so both see the same machine load;
//   2. the real stack: ORDERS orders through the API (CONCURRENCY in flight) on stacks without
//      keys and with a key, in the order A-B-B-A, each with its own dev server, on loopback only.

const PAYLOADS = Number(process.env.PAYLOADS ?? 20_000);
const ROUNDS = 5;
const ORDERS = Number(process.env.ORDERS ?? 40);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);
const say = (line: string) => console.log(`[bench:codec] ${line}`);

const order = (index: number): OrderInput => ({
  orderId: `bench${index.toString(36).padStart(8, '0')}`,
  customerId: `c-${index % 500}`,
  customerEmail: `customer${index}@example.com`,
  paymentToken: 'tok_visa',
  shippingAddress: { name: 'Ada Lovelace', line1: `${index} St James Square`, city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
  lines: [
    { sku: 'MUG-DURABLE', quantity: 2, unitPriceCents: 1400 },
    { sku: 'STICKER-PACK', quantity: 1, unitPriceCents: 500 },
    { sku: 'HOODIE-REPLAY', quantity: 1, unitPriceCents: 6500 },
  ],
  totalCents: 9800,
});

/** Payload round trips per second: to a payload, through the codec both ways (if any), and back. */
async function roundTripsPerSecond(orders: OrderInput[], codec?: EncryptionCodec): Promise<number> {
  const startedAt = performance.now();
  for (const input of orders) {
    let payloads: Payload[] = [defaultPayloadConverter.toPayload(input)];
    if (codec) payloads = await codec.decode(await codec.encode(payloads));
    defaultPayloadConverter.fromPayload(payloads[0]);
  }
  return orders.length / ((performance.now() - startedAt) / 1000);
}

async function codecAlone(): Promise<void> {
  const orders = Array.from({ length: PAYLOADS }, (_, index) => order(index));
  const codec = new EncryptionCodec(EncryptionKeyring.parse(newEncryptionKeySpec('bench'), 'bench'));
  const [plain] = [defaultPayloadConverter.toPayload(orders[0])];
  const [sealed] = await codec.encode([plain]);
  say(`one OrderInput: ${plain.data!.length} bytes as JSON, ${sealed.data!.length} bytes encrypted`);
  await roundTripsPerSecond(orders.slice(0, 2_000), codec);
  const rates = { plaintext: [] as number[], encrypted: [] as number[] };
  for (let round = 0; round < ROUNDS; round += 1) {
    rates.plaintext.push(await roundTripsPerSecond(orders));
    rates.encrypted.push(await roundTripsPerSecond(orders, codec));
  }
  const best = (values: number[]) => Math.max(...values);
  for (const [label, values] of Object.entries(rates)) {
    say(
      `codec alone, ${label}: ${Math.round(best(values))} payload round trips/s (best of ${ROUNDS}; all: ${values.map(Math.round).join(', ')}), ${(1e6 / best(values)).toFixed(1)} µs each`,
    );
  }
  say(`encryption adds ${(1e6 / best(rates.encrypted) - 1e6 / best(rates.plaintext)).toFixed(1)} µs per payload (encode + decode)`);
}

async function throughStack(label: string, env: NodeJS.ProcessEnv): Promise<void> {
  const stack = await BenchStack.start({ restart: 'never', env, say });
  try {
    const warmup = await placeOrder(stack.apiUrl, `${label}-warmup`, 0);
    await awaitClosed(stack.client, warmup.workflowId);
    const startedAt = performance.now();
    const latencies = await atConcurrency(ORDERS, CONCURRENCY, async (index) => {
      const placed = await placeOrder(stack.apiUrl, `${label}-${index}`, index);
      await awaitClosed(stack.client, placed.workflowId);
    });
    say(runSummary(`stack, ${label}`, latencies, performance.now() - startedAt));
  } finally {
    await stack.stop();
  }
}

async function main(): Promise<void> {
  await codecAlone();
  const plaintext = () => throughStack('plaintext', { ENCRYPTION_KEYS: '', ENCRYPTION_KEYS_FILE: '' });
  const encrypted = () => throughStack('encrypted', { ENCRYPTION_KEYS: newEncryptionKeySpec('bench') });
  // A-B-B-A, so a machine getting busier or quieter during the run weighs on both alike.
  for (const run of [plaintext, encrypted, encrypted, plaintext]) await run();
}

main().catch((err) => {
  console.error('[bench:codec]', err);
  process.exit(1);
});
