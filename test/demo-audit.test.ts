import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  auditReport,
  outcomeChecks,
  outcomeOf,
  type AuditCheck,
  type OrderKind,
  type Outcome,
  type PlacedOrder,
} from '../scripts/demo/audit';
import { timelineChecks } from '../scripts/demo/k8s/api-audit';
import { storeChecks } from '../scripts/demo/local/store-audit';
import { ServiceStores } from '../scripts/lib/service-stores';
import type { OrderStatus, OrderView, StepName } from '../workflows/types';

// The audit is what proves the demo lost nothing; these tests prove the audit itself catches
// each kind of damage, on stores written by the services' own store classes.

const ITEMS = [{ sku: 'MUG-DURABLE', quantity: 2 }];

/** The four services' stores in a fresh folder, and orders played into them as the services would. */
class PlayedStores {
  readonly outcomes: Outcome[] = [];

  private constructor(
    readonly stores: ServiceStores,
    readonly dir: string,
  ) {}

  static async open(): Promise<PlayedStores> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-audit-'));
    return new PlayedStores(await ServiceStores.open(dir), dir);
  }

  async completed(orderId: string): Promise<void> {
    const { inventory, shipping } = this.stores;
    await inventory.reserve(orderId, ITEMS);
    await this.charge(orderId, 'authorize');
    await this.charge(orderId, 'capture');
    await shipping.book({
      shipmentId: `shipment-${orderId}`,
      orderId,
      carrier: 'Temporal Express',
      trackingNumber: `TX${orderId}`,
      label: '-',
      expectedDeliveryAt: new Date().toISOString(),
    });
    await shipping.markDelivered(`shipment-${orderId}`);
    await inventory.commit(orderId);
    await this.mail(orderId, 'order-confirmation');
    this.ended(orderId, 'regular', 'completed');
  }

  /** Charged, then the shipment was refused: refunded and released. */
  async refunded(orderId: string): Promise<void> {
    await this.stores.inventory.reserve(orderId, ITEMS);
    for (const movement of ['authorize', 'capture', 'refund'] as const) await this.charge(orderId, movement);
    await this.stores.inventory.release(orderId);
    await this.mail(orderId, 'order-cancelled');
    this.ended(orderId, 'unserved-address', 'failed');
  }

  /** The card was declined: nothing charged, stock released. */
  async declined(orderId: string): Promise<void> {
    await this.stores.inventory.reserve(orderId, ITEMS);
    await this.stores.inventory.release(orderId);
    await this.mail(orderId, 'order-cancelled');
    this.ended(orderId, 'declined-card', 'failed');
  }

  async charge(orderId: string, movement: 'authorize' | 'capture' | 'refund', idempotencyKey = `charge-${orderId}`): Promise<void> {
    await this.stores.payment.record({ idempotencyKey, orderId, movement, amountCents: 2800, gatewayReference: `gw-${movement}` });
  }

  async mail(orderId: string, template: string): Promise<void> {
    await this.stores.email.record({
      orderId,
      template,
      messageId: `<${orderId}.${template}>`,
      recipient: 'a@example.com',
      subject: template,
    });
  }

  ended(orderId: string, kind: OrderKind, status: OrderStatus): void {
    this.outcomes.push(outcomeOf(placed(orderId, kind), status));
  }

  async remove(): Promise<void> {
    await this.stores.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  checks(): Promise<AuditCheck[]> {
    return storeChecks(this.stores, this.outcomes);
  }

  /** The checks that fail, by name. */
  async failing(): Promise<string[]> {
    return failingNames(await this.checks());
  }
}

const placed = (orderId: string, kind: OrderKind = 'regular'): PlacedOrder => ({
  orderId,
  workflowId: `order-${orderId}`,
  kind,
  items: ITEMS,
});
const failingNames = (checks: AuditCheck[]) => checks.filter((c) => !c.ok).map((c) => c.name);

describe('the local audit, on the services stores', () => {
  let played: PlayedStores;
  beforeEach(async () => {
    played = await PlayedStores.open();
    await played.completed('a');
    await played.refunded('b');
    await played.declined('c');
  });
  afterEach(() => played.remove());

  test('a run where every order was handled once passes every check', async () => {
    const checks = await played.checks();
    expect(checks.length).toBe(8);
    expect(failingNames(checks)).toEqual([]);
    expect(checks.find((c) => c.name.startsWith('refunds match'))?.detail).toBe('2 compensated: 1 charged and refunded, 1 never charged');
  });

  test('an order captured twice is caught', async () => {
    await played.charge('a', 'authorize', 'charge-a-again');
    await played.charge('a', 'capture', 'charge-a-again');
    expect(await played.failing()).toEqual([
      'at most one capture per order (payment ledger)',
      'every completed order was charged exactly once and never refunded',
    ]);
  });

  test('a compensated order charged but never refunded is caught', async () => {
    await played.charge('c', 'authorize');
    await played.charge('c', 'capture');
    expect(await played.failing()).toEqual(['refunds match compensations: a compensated order is refunded exactly when it was charged']);
  });

  test('stock that left without a reservation is caught', async () => {
    await played.stores.inventory.database.db
      .updateTable('products')
      .set((eb) => ({ stock: eb('stock', '-', 1) }))
      .where('sku', '=', 'TSHIRT-TEMPORAL')
      .execute();
    expect(await played.failing()).toEqual(['reservations match the stock: per SKU, units taken from stock = units reserved or committed']);
  });

  test('a compensated order that still holds its stock is caught', async () => {
    await played.stores.inventory.reserve('d', ITEMS);
    await played.mail('d', 'order-cancelled');
    played.ended('d', 'declined-card', 'failed');
    expect(await played.failing()).toEqual(['completed orders committed exactly their items; compensated orders hold no stock']);
  });

  test('a completed order without its confirmation, and a compensated one also confirmed, are caught', async () => {
    await played.stores.email.database.db.deleteFrom('sent_emails').where('order_id', '=', 'a').execute();
    await played.mail('b', 'order-confirmation');
    const check = (await played.checks()).find((c) => c.name === 'each ended order got the one email its outcome calls for')!;
    expect(check).toMatchObject({
      ok: false,
      detail: '2: a completed, emails: none; b compensated, emails: order-cancelled,order-confirmation',
    });
  });

  test('a completed order with no delivered shipment is caught', async () => {
    await played.stores.shipping.database.db.updateTable('shipments').set({ status: 'in_transit' }).where('order_id', '=', 'a').execute();
    expect(await played.failing()).toEqual(['one delivered shipment per completed order, none for a compensated one']);
  });

  test('an order in the stores that the demo did not place is caught', async () => {
    await played.charge('stranger', 'authorize');
    expect(await played.failing()).toEqual(['the stores hold no order the demo did not place']);
  });
});

describe('the outcomes', () => {
  test('an order still running at the end, or missing, is lost, and the report fails', () => {
    const outcomes = [
      outcomeOf(placed('a'), 'completed'),
      outcomeOf(placed('b'), 'shipping'),
      outcomeOf(placed('c'), undefined, 'workflow missing'),
    ];
    const report = auditReport(outcomes, outcomeChecks(outcomes));
    expect(report).toMatchObject({ placed: 3, completed: 1, compensated: 0, lost: 2, passed: false });
    expect(report.checks[0]).toMatchObject({ ok: false, detail: '2: b still shipping; c workflow missing' });
  });

  test('a regular order that was compensated did not end as it should', () => {
    const outcomes = [outcomeOf(placed('a'), 'failed'), outcomeOf(placed('b', 'declined-card'), 'cancelled')];
    expect(failingNames(outcomeChecks(outcomes))).toEqual([
      'each order ended as its kind should (regular: completed; declined card, unserved address: compensated)',
    ]);
  });
});

describe('the Kubernetes audit, on the order timelines from the API', () => {
  const view = (orderId: string, status: OrderStatus, steps: StepName[], delivered = status === 'completed'): OrderView => ({
    orderId,
    status,
    currentStep: null,
    totalCents: 2800,
    timeline: steps.map((step) => ({ step, state: 'completed', startedAt: '2026-01-01T00:00:00Z' })),
    ...(delivered && {
      shipment: {
        shipmentId: `shipment-${orderId}`,
        carrier: 'Temporal Express',
        trackingNumber: 'TX1',
        deliveredAt: '2026-01-01T00:00:01Z',
      },
    }),
  });
  const order = (v: OrderView, kind: OrderKind = 'regular') => ({ outcome: outcomeOf(placed(v.orderId, kind), v.status), view: v });
  const good = [
    order(view('a', 'completed', ['validateOrder', 'reserveStock', 'chargePayment', 'shipOrder', 'commitStock', 'sendConfirmation'])),
    order(
      view('b', 'failed', [
        'validateOrder',
        'reserveStock',
        'chargePayment',
        'shipOrder',
        'refundPayment',
        'releaseStock',
        'notifyCustomer',
      ]),
      'unserved-address',
    ),
  ];

  test('orders each charged once, refunded when compensated, emailed once and delivered pass', () => {
    expect(failingNames(timelineChecks(good))).toEqual([]);
  });

  test('a charged compensated order without a refund, and a completed order never delivered, are caught', () => {
    const bad = [
      order(view('a', 'completed', ['chargePayment', 'sendConfirmation'], false)),
      order(view('b', 'failed', ['chargePayment', 'releaseStock', 'notifyCustomer']), 'unserved-address'),
    ];
    expect(failingNames(timelineChecks(bad))).toEqual([
      'refunds match compensations: every compensated order that was charged was refunded (order timelines)',
      'every completed order was delivered (order timelines)',
    ]);
  });
});
