import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { auditReport, outcomeChecks, outcomeOf, type AuditCheck, type OrderKind, type Outcome, type PlacedOrder } from '../scripts/demo/audit';
import { timelineChecks } from '../scripts/demo/k8s/api-audit';
import { storeChecks } from '../scripts/demo/local/store-audit';
import { catalog } from '../services/common/catalog';
import { EmailStore } from '../services/email/store';
import { InventoryStore } from '../services/inventory/store';
import { PaymentStore } from '../services/payment/store';
import { ShippingStore } from '../services/shipping/store';
import type { OrderStatus, OrderView, StepName } from '../workflows/types';

// The audit is what proves the demo lost nothing; these tests prove the audit itself catches
// each kind of damage, on stores written by the services' own store classes.

const ITEMS = [{ sku: 'MUG-DURABLE', quantity: 2 }];

/** The four services' stores in a fresh folder, and orders played into them as the services would. */
class Stores {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-audit-'));
  readonly payment = new PaymentStore(path.join(this.dir, 'payment.db'));
  readonly inventory = new InventoryStore(path.join(this.dir, 'inventory.db'), catalog);
  readonly shipping = new ShippingStore(path.join(this.dir, 'shipping.db'));
  readonly email = new EmailStore(path.join(this.dir, 'email.db'));
  readonly outcomes: Outcome[] = [];

  completed(orderId: string): void {
    this.inventory.reserve(orderId, ITEMS);
    this.charge(orderId, 'authorize').charge(orderId, 'capture');
    this.shipping.book({ shipmentId: `shipment-${orderId}`, orderId, carrier: 'Temporal Express', trackingNumber: `TX${orderId}`, label: '-', expectedDeliveryAt: new Date().toISOString() });
    this.shipping.markDelivered(`shipment-${orderId}`);
    this.inventory.commit(orderId);
    this.mail(orderId, 'order-confirmation');
    this.ended(orderId, 'regular', 'completed');
  }

  /** Charged, then the shipment was refused: refunded and released. */
  refunded(orderId: string): void {
    this.inventory.reserve(orderId, ITEMS);
    this.charge(orderId, 'authorize').charge(orderId, 'capture').charge(orderId, 'refund');
    this.inventory.release(orderId);
    this.mail(orderId, 'order-cancelled');
    this.ended(orderId, 'unserved-address', 'failed');
  }

  /** The card was declined: nothing charged, stock released. */
  declined(orderId: string): void {
    this.inventory.reserve(orderId, ITEMS);
    this.inventory.release(orderId);
    this.mail(orderId, 'order-cancelled');
    this.ended(orderId, 'declined-card', 'failed');
  }

  charge(orderId: string, movement: 'authorize' | 'capture' | 'refund', idempotencyKey = `charge-${orderId}`): this {
    this.payment.record({ idempotencyKey, orderId, movement, amountCents: 2800, gatewayReference: `gw-${movement}` });
    return this;
  }

  mail(orderId: string, template: string): void {
    this.email.record({ orderId, template, messageId: `<${orderId}.${template}>`, recipient: 'a@example.com', subject: template });
  }

  ended(orderId: string, kind: OrderKind, status: OrderStatus): void {
    this.outcomes.push(outcomeOf(placed(orderId, kind), status));
  }

  remove(): void {
    for (const store of [this.payment, this.inventory, this.shipping, this.email]) store.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** The checks that fail, by name. */
  failing(): string[] {
    return storeChecks(this.dir, this.outcomes).filter((c) => !c.ok).map((c) => c.name);
  }
}

const placed = (orderId: string, kind: OrderKind = 'regular'): PlacedOrder => ({ orderId, workflowId: `order-${orderId}`, kind, items: ITEMS });
const failingNames = (checks: AuditCheck[]) => checks.filter((c) => !c.ok).map((c) => c.name);

describe('the local audit, on the services stores', () => {
  let stores: Stores;
  beforeEach(() => {
    stores = new Stores();
    stores.completed('a');
    stores.refunded('b');
    stores.declined('c');
  });
  afterEach(() => stores.remove());

  test('a run where every order was handled once passes every check', () => {
    const checks = storeChecks(stores.dir, stores.outcomes);
    expect(checks.length).toBeGreaterThanOrEqual(9);
    expect(failingNames(checks)).toEqual([]);
    expect(checks.find((c) => c.name.startsWith('refunds match'))?.detail).toBe('2 compensated: 1 charged and refunded, 1 never charged');
  });

  test('an order captured twice is caught', () => {
    stores.charge('a', 'authorize', 'charge-a-again').charge('a', 'capture', 'charge-a-again');
    expect(stores.failing()).toEqual(['at most one capture per order (payment ledger)', 'every completed order was charged exactly once and never refunded']);
  });

  test('a compensated order charged but never refunded is caught', () => {
    stores.charge('c', 'authorize').charge('c', 'capture');
    expect(stores.failing()).toEqual(['refunds match compensations: a compensated order is refunded exactly when it was charged']);
  });

  test('stock that left without a reservation is caught', () => {
    stores.inventory.db.prepare(`UPDATE products SET stock = stock - 1 WHERE sku = 'TSHIRT-TEMPORAL'`).run();
    expect(stores.failing()).toEqual(['reservations match the stock: per SKU, units taken from stock = units reserved or committed']);
  });

  test('a compensated order that still holds its stock is caught', () => {
    stores.inventory.reserve('d', ITEMS);
    stores.mail('d', 'order-cancelled');
    stores.ended('d', 'declined-card', 'failed');
    expect(stores.failing()).toEqual(['completed orders committed exactly their items; compensated orders hold no stock']);
  });

  test('a completed order without its confirmation, and a compensated one also confirmed, are caught', () => {
    stores.email.db.prepare(`DELETE FROM sent_emails WHERE order_id = 'a'`).run();
    stores.mail('b', 'order-confirmation');
    const check = storeChecks(stores.dir, stores.outcomes).find((c) => c.name === 'each ended order got the one email its outcome calls for')!;
    expect(check).toMatchObject({ ok: false, detail: '2: a completed, emails: none; b compensated, emails: order-cancelled,order-confirmation' });
  });

  test('a completed order with no delivered shipment is caught', () => {
    stores.shipping.db.prepare(`UPDATE shipments SET status = 'in_transit' WHERE order_id = 'a'`).run();
    expect(stores.failing()).toEqual(['one delivered shipment per completed order, none for a compensated one']);
  });

  test('an order in the stores that the demo did not place is caught', () => {
    stores.charge('stranger', 'authorize');
    expect(stores.failing()).toEqual(['the stores hold no order the demo did not place']);
  });
});

describe('the outcomes', () => {
  test('an order still running at the end, or missing, is lost, and the report fails', () => {
    const outcomes = [outcomeOf(placed('a'), 'completed'), outcomeOf(placed('b'), 'shipping'), outcomeOf(placed('c'), undefined, 'workflow missing')];
    const report = auditReport(outcomes, outcomeChecks(outcomes));
    expect(report).toMatchObject({ placed: 3, completed: 1, compensated: 0, lost: 2, passed: false });
    expect(report.checks[0]).toMatchObject({ ok: false, detail: '2: b still shipping; c workflow missing' });
  });

  test('a regular order that was compensated did not end as it should', () => {
    const outcomes = [outcomeOf(placed('a'), 'failed'), outcomeOf(placed('b', 'declined-card'), 'cancelled')];
    expect(failingNames(outcomeChecks(outcomes))).toEqual(['each order ended as its kind should (regular: completed; declined card, unserved address: compensated)']);
  });
});

describe('the Kubernetes audit, on the order timelines from the API', () => {
  const view = (orderId: string, status: OrderStatus, steps: StepName[], delivered = status === 'completed'): OrderView => ({
    orderId,
    status,
    currentStep: null,
    totalCents: 2800,
    timeline: steps.map((step) => ({ step, state: 'completed', startedAt: '2026-01-01T00:00:00Z' })),
    ...(delivered && { shipment: { shipmentId: `shipment-${orderId}`, carrier: 'Temporal Express', trackingNumber: 'TX1', deliveredAt: '2026-01-01T00:00:01Z' } }),
  });
  const order = (v: OrderView, kind: OrderKind = 'regular') => ({ outcome: outcomeOf(placed(v.orderId, kind), v.status), view: v });
  const good = [
    order(view('a', 'completed', ['validateOrder', 'reserveStock', 'chargePayment', 'shipOrder', 'commitStock', 'sendConfirmation'])),
    order(view('b', 'failed', ['validateOrder', 'reserveStock', 'chargePayment', 'shipOrder', 'refundPayment', 'releaseStock', 'notifyCustomer']), 'unserved-address'),
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
