import { setTimeout as sleep } from 'node:timers/promises';
import type { OrderKind, PlacedOrder } from './audit';

// The demo's customers: a steady, bounded stream of orders through the API's front door. Most
// orders are ordinary; every tenth has a declined card and every tenth an address the carrier
// does not serve, so the audience sees compensation too and the audit has refunds to check.

const CARTS: PlacedOrder['items'][] = [
  [
    { sku: 'MUG-DURABLE', quantity: 2 },
    { sku: 'STICKER-PACK', quantity: 1 },
  ],
  [{ sku: 'TSHIRT-TEMPORAL', quantity: 1 }],
  [{ sku: 'STICKER-PACK', quantity: 3 }],
  [
    { sku: 'HOODIE-REPLAY', quantity: 1 },
    { sku: 'MUG-DURABLE', quantity: 1 },
  ],
];

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The n-th order of a run: its kind and the POST /orders body. */
export function demoOrder(customerId: string, n: number): { kind: OrderKind; body: Record<string, unknown> } {
  const kind: OrderKind = n % 10 === 4 ? 'declined-card' : n % 10 === 8 ? 'unserved-address' : 'regular';
  return {
    kind,
    body: {
      customerId,
      customerEmail: `customer${n}@example.com`,
      items: CARTS[n % CARTS.length],
      paymentToken: kind === 'declined-card' ? 'tok_declined' : 'tok_visa',
      shippingAddress: {
        name: `Customer ${n}`,
        line1: `${n} Durable Street`,
        city: kind === 'unserved-address' ? 'McMurdo Station' : 'London',
        postalCode: 'EC1A 1BB',
        country: kind === 'unserved-address' ? 'AQ' : 'GB',
      },
    },
  };
}

export interface OrderStreamOptions {
  apiUrl: string;
  /** Every order of the run carries it, so Visibility can tell this run's orders from any other. */
  customerId: string;
  ordersPerSecond: number;
  maxOrders: number;
  /** Sent as x-api-key when the API requires one. */
  apiKey?: string;
}

/**
 * Places orders at a steady rate (which setRate changes) until stopped or `maxOrders` is reached. Each order has an
 * Idempotency-Key, so a POST retried after a timeout or a 503 places it once.
 */
export class OrderStream {
  readonly placed: PlacedOrder[] = [];
  /** Orders the API did not accept after every retry. */
  refused = 0;
  /** Why the stream stopped early, if it did. */
  failure?: string;
  private stopping = false;
  private running?: Promise<void>;
  private rate: number;

  constructor(private readonly options: OrderStreamOptions) {
    this.rate = options.ordersPerSecond;
    const { hostname } = new URL(options.apiUrl);
    if (!LOOPBACK.has(hostname))
      throw new Error(
        `the demo places orders only on this machine; ${options.apiUrl} is not a loopback address (use kubectl port-forward)`,
      );
  }

  get done(): boolean {
    return this.placed.length + this.refused >= this.options.maxOrders;
  }

  /** Orders placed per second, now. */
  get ordersPerSecond(): number {
    return this.rate;
  }

  /** Changes the rate from the next order on. */
  setRate(ordersPerSecond: number): void {
    if (!(ordersPerSecond > 0)) throw new Error(`the order rate must be above 0, got ${ordersPerSecond}`);
    this.rate = ordersPerSecond;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Stops placing orders and waits for the requests in flight. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private async run(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    for (let n = 0; n < this.options.maxOrders && !this.stopping; n++) {
      const request = this.place(n).finally(() => inFlight.delete(request));
      inFlight.add(request);
      await sleep(1000 / this.rate);
    }
    await Promise.all(inFlight);
  }

  private async place(n: number): Promise<void> {
    const { kind, body } = demoOrder(this.options.customerId, n);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': `${this.options.customerId}-${n}` };
    if (this.options.apiKey) headers['x-api-key'] = this.options.apiKey;
    // About 20s of retries: long enough to ride out the "Temporal server down" scene.
    for (let attempt = 1; attempt <= 10; attempt++) {
      // No answer at all (a timeout, a reset): try again with the same key.
      const response = await fetch(`${this.options.apiUrl}/orders`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      }).catch(() => undefined);
      if (response?.status === 201) {
        const { orderId, workflowId } = (await response.json()) as { orderId: string; workflowId: string };
        this.placed.push({ orderId, workflowId, kind, items: body.items as PlacedOrder['items'] });
        return;
      }
      // 429 and 5xx are worth another try; any other answer is a mistake no retry fixes.
      if (response && response.status !== 429 && response.status < 500) {
        this.failure ??= `POST /orders answered ${response.status}: ${await response.text()}`;
        this.stopping = true;
        return;
      }
      await sleep(Math.min(500 * attempt, 3_000));
    }
    this.refused++;
  }
}
