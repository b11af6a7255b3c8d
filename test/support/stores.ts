import path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { projectRoot } from '../../services/common/paths';
import type { DatabaseUrls, StoreService } from '../../scripts/lib/service-stores';
import { testDatabaseUrls } from './stack';

const serviceStoresModule = path.join(projectRoot, 'dist', 'scripts', 'lib', 'service-stores.js');

// Runs in a worker thread: the compiled ServiceStores, answering one read at a time on `port`,
// then waking the test's thread, which waits on `done`.
const STORE_READER = `
const { parentPort, workerData: { modulePath, dataDir, urls, port, done } } = require('node:worker_threads');
const opening = require(modulePath).ServiceStores.open(dataDir, urls);
parentPort.on('message', async ({ service, method, args }) => {
  try {
    const stores = await opening;
    port.postMessage({ value: (await stores[service][method](...args)) ?? null });
  } catch (err) {
    port.postMessage({ error: String(err && err.stack || err) });
  }
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
});`;

const READ_TIMEOUT_MS = 30_000;

/**
 * The services' own stores of a test stack, read through their own read methods, to check what
 * each service actually did, not only what the workflow says. The stores answer asynchronously
 * and the order tests read them in plain expressions, so a worker thread runs the reads while
 * the test's thread waits for each answer.
 */
export class Stores {
  private readonly done = new Int32Array(new SharedArrayBuffer(4));
  private readonly replies = new MessageChannel();
  private readonly reader: Worker;

  /** The stores in `dataDir`, or at `urls` (the suite's PostgreSQL databases by default). */
  constructor(dataDir: string, urls: DatabaseUrls = testDatabaseUrls()) {
    this.reader = new Worker(STORE_READER, {
      eval: true,
      workerData: { modulePath: serviceStoresModule, dataDir, urls, port: this.replies.port2, done: this.done },
      transferList: [this.replies.port2],
    });
    this.reader.unref();
  }

  private read<T>(service: StoreService, method: string, ...args: string[]): T {
    Atomics.store(this.done, 0, 0);
    this.reader.postMessage({ service, method, args });
    if (Atomics.wait(this.done, 0, 0, READ_TIMEOUT_MS) === 'timed-out')
      throw new Error(`reading ${service}.${method} took over ${READ_TIMEOUT_MS} ms`);
    const reply = receiveMessageOnPort(this.replies.port1)!.message as { value: T; error?: string };
    if (reply.error !== undefined) throw new Error(reply.error);
    return reply.value;
  }

  /** The payment ledger's movements for an order, oldest first. */
  ledger(orderId: string): { movement: string; amountCents: number }[] {
    return this.read<{ movement: string; amountCents: number }[]>('payment', 'ledger', orderId).map(({ movement, amountCents }) => ({
      movement,
      amountCents,
    }));
  }

  reservations(orderId: string): { sku: string; quantity: number; status: string }[] {
    return this.read<{ sku: string; quantity: number; status: string }[]>('inventory', 'reservations', orderId).map(
      ({ sku, quantity, status }) => ({ sku, quantity, status }),
    );
  }

  stock(sku: string): number {
    return this.read<number>('inventory', 'stock', sku);
  }

  shipments(orderId: string): { status: string }[] {
    return this.read<{ status: string }[]>('shipping', 'shipmentsForOrder', orderId).map(({ status }) => ({ status }));
  }

  emails(orderId: string): { template: string }[] {
    return this.read<{ template: string }[]>('email', 'sentTo', orderId).map(({ template }) => ({ template }));
  }
}
