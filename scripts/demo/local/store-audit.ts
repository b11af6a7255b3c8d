import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Reservation } from '../../../services/inventory/store';
import type { OrderView } from '../../../workflows/types';
import { ServiceStores, type DatabaseUrls } from '../../lib/service-stores';
import { auditReport, check, outcomeChecks, outcomeOf, type AuditCheck, type AuditReport, type Outcome, type PlacedOrder } from '../audit';

// The local audit reads each service's own store through the store's own read methods: what the
// services actually did, not what the workflow says they did. The demo gives the services a fresh
// data folder (the cluster suite's kill-storm, fresh databases), so every row belongs to this run.

/** The audit of a local run: each order's outcome from Temporal, then the services' stores (in `dataDir`, or at `urls`). */
export async function auditLocalRun(client: Client, dataDir: string, placed: PlacedOrder[], urls: DatabaseUrls = {}): Promise<AuditReport> {
  const outcomes = await temporalOutcomes(client, placed);
  const stores = await ServiceStores.open(dataDir, urls);
  try {
    return auditReport(outcomes, [...outcomeChecks(outcomes), ...(await storeChecks(stores, outcomes))]);
  } finally {
    await stores.close();
  }
}

/** Each order's outcome: the workflow's result once it completed; a running, failed or missing workflow is lost. */
export async function temporalOutcomes(client: Client, placed: PlacedOrder[]): Promise<Outcome[]> {
  const outcomeOfOne = async (order: PlacedOrder): Promise<Outcome> => {
    const handle = client.workflow.getHandle(order.workflowId);
    try {
      const { status } = await handle.describe();
      if (status.name === 'RUNNING') return outcomeOf(order, undefined, 'workflow still running');
      if (status.name !== 'COMPLETED') return outcomeOf(order, undefined, `workflow ${status.name}`);
      const view = (await handle.result()) as OrderView;
      return outcomeOf(order, view.status);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return outcomeOf(order, undefined, 'workflow missing');
      throw err;
    }
  };
  const outcomes: Outcome[] = [];
  // A few at a time: hundreds of parallel calls would only queue up in the dev server.
  for (let i = 0; i < placed.length; i += 16) outcomes.push(...(await Promise.all(placed.slice(i, i + 16).map(outcomeOfOne))));
  return outcomes;
}

/** The checks against the payment, inventory, shipping and email stores, read through their own read methods. */
export async function storeChecks(stores: ServiceStores, outcomes: Outcome[]): Promise<AuditCheck[]> {
  const completed = outcomes.filter((o) => o.ended === 'completed');
  const compensated = outcomes.filter((o) => o.ended === 'compensated');
  const placedIds = new Set(outcomes.map((o) => o.order.orderId));
  const strangers = [...(await stores.orderIds())].filter((orderId) => !placedIds.has(orderId));
  const ordersInStores = [...placedIds, ...strangers];
  const records = new Map((await Promise.all(ordersInStores.map((orderId) => recordsOf(stores, orderId)))).map((r) => [r.orderId, r]));
  const recordsOfOrder = (orderId: string) => records.get(orderId)!;

  const money = new Map(
    ordersInStores.map((orderId) => {
      const movements = recordsOfOrder(orderId).ledger.map((entry) => entry.movement);
      return [orderId, { orderId, captures: count(movements, 'capture'), refunds: count(movements, 'refund') }];
    }),
  );
  const moneyOf = (orderId: string) => money.get(orderId)!;
  const charged = [...money.values()].filter((m) => m.captures > 0);
  const reservations = ordersInStores.flatMap((orderId) => recordsOfOrder(orderId).reservations);
  const heldBy = (orderId: string) => reservations.filter((r) => r.orderId === orderId && r.status !== 'released');
  const stock = (await stores.inventory.products()).map(({ sku, stock, targetStock }) => ({
    sku,
    taken: targetStock - stock,
    held: reservations.filter((r) => r.sku === sku && r.status !== 'released').reduce((sum, r) => sum + r.quantity, 0),
  }));
  const templatesOf = (orderId: string) =>
    recordsOfOrder(orderId)
      .emails.map((e) => e.template)
      .sort()
      .join(',');
  const shipmentsOf = (orderId: string) => recordsOfOrder(orderId).shipments;
  const delivered = (orderId: string) => shipmentsOf(orderId).filter((s) => s.status === 'delivered').length;
  const captured = compensated.filter((o) => moneyOf(o.order.orderId).captures > 0).length;

  return [
    check(
      'at most one capture per order (payment ledger)',
      charged.filter((m) => m.captures > 1).map((m) => `${m.orderId} captured ${m.captures} times`),
      `${charged.reduce((sum, m) => sum + m.captures, 0)} captures for ${charged.length} orders in the ledger`,
    ),
    check(
      'every completed order was charged exactly once and never refunded',
      completed
        .map((o) => moneyOf(o.order.orderId))
        .filter((m) => m.captures !== 1 || m.refunds !== 0)
        .map((m) => `${m.orderId} captures ${m.captures}, refunds ${m.refunds}`),
      `${completed.length} completed orders, one capture each`,
    ),
    check(
      'refunds match compensations: a compensated order is refunded exactly when it was charged',
      compensated
        .map((o) => moneyOf(o.order.orderId))
        .filter((m) => m.refunds !== m.captures)
        .map((m) => `${m.orderId} captures ${m.captures}, refunds ${m.refunds}`),
      `${compensated.length} compensated: ${captured} charged and refunded, ${compensated.length - captured} never charged`,
    ),
    check(
      'reservations match the stock: per SKU, units taken from stock = units reserved or committed',
      stock.filter((row) => row.taken !== row.held).map((row) => `${row.sku}: ${row.taken} taken, ${row.held} held`),
      stock.map((row) => `${row.sku} ${row.taken}`).join(', '),
    ),
    check(
      'completed orders committed exactly their items; compensated orders hold no stock',
      [
        ...completed
          .filter((o) => !commitsExactly(heldBy(o.order.orderId), o.order.items))
          .map((o) => `${o.order.orderId} holds ${describeHeld(heldBy(o.order.orderId))}`),
        ...compensated
          .filter((o) => heldBy(o.order.orderId).length > 0)
          .map((o) => `${o.order.orderId} (compensated) holds ${describeHeld(heldBy(o.order.orderId))}`),
      ],
      `${count(
        reservations.map((r) => r.status),
        'committed',
      )} lines committed, ${count(
        reservations.map((r) => r.status),
        'released',
      )} released, 0 left reserved`,
    ),
    check(
      'each ended order got the one email its outcome calls for',
      [
        ...completed
          .filter((o) => templatesOf(o.order.orderId) !== 'order-confirmation')
          .map((o) => `${o.order.orderId} completed, emails: ${templatesOf(o.order.orderId) || 'none'}`),
        ...compensated
          .filter((o) => templatesOf(o.order.orderId) !== 'order-cancelled')
          .map((o) => `${o.order.orderId} compensated, emails: ${templatesOf(o.order.orderId) || 'none'}`),
      ],
      `${completed.length} confirmations, ${compensated.length} cancellation notices`,
    ),
    check(
      'one delivered shipment per completed order, none for a compensated one',
      [
        ...completed
          .filter((o) => shipmentsOf(o.order.orderId).length !== 1 || delivered(o.order.orderId) !== 1)
          .map((o) => `${o.order.orderId} completed with ${shipmentsOf(o.order.orderId).length} shipments`),
        ...compensated.filter((o) => shipmentsOf(o.order.orderId).length > 0).map((o) => `${o.order.orderId} compensated with a shipment`),
      ],
      `${ordersInStores.reduce((sum, orderId) => sum + shipmentsOf(orderId).length, 0)} shipments, all delivered`,
    ),
    check('the stores hold no order the demo did not place', strangers, 'none'),
  ];
}

/** What each service's store holds of one order. */
async function recordsOf(stores: ServiceStores, orderId: string) {
  const [ledger, reservations, emails, shipments] = await Promise.all([
    stores.payment.ledger(orderId),
    stores.inventory.reservations(orderId),
    stores.email.sentTo(orderId),
    stores.shipping.shipmentsForOrder(orderId),
  ]);
  return { orderId, ledger, reservations, emails, shipments };
}

const count = <T>(values: T[], value: T): number => values.filter((v) => v === value).length;

/** Whether an order's stock lines are all committed and add up to its items, SKU by SKU. */
function commitsExactly(held: Reservation[], items: PlacedOrder['items']): boolean {
  const want = new Map<string, number>();
  for (const { sku, quantity } of items) want.set(sku, (want.get(sku) ?? 0) + quantity);
  return held.length === want.size && held.every((r) => r.status === 'committed' && want.get(r.sku) === r.quantity);
}

const describeHeld = (held: Reservation[]): string => held.map((r) => `${r.quantity} ${r.sku} ${r.status}`).join(', ') || 'nothing';
