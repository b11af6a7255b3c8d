import path from 'node:path';
import Database from 'better-sqlite3';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { OrderView } from '../../../workflows/types';
import { auditReport, check, outcomeChecks, outcomeOf, type AuditCheck, type AuditReport, type Outcome, type PlacedOrder } from '../audit';

// The local audit reads each service's own SQLite store, read-only: what the services actually
// did, not what the workflow says they did. The demo gives the services a fresh data folder, so
// every row in these stores belongs to this run.

/** The audit of a local run: each order's outcome from Temporal, then the services' stores. */
export async function auditLocalRun(client: Client, dataDir: string, placed: PlacedOrder[]): Promise<AuditReport> {
  const outcomes = await temporalOutcomes(client, placed);
  return auditReport(outcomes, [...outcomeChecks(outcomes), ...storeChecks(dataDir, outcomes)]);
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

interface LedgerTotals {
  orderId: string;
  captures: number;
  refunds: number;
}

interface Reservation {
  orderId: string;
  sku: string;
  quantity: number;
  status: 'reserved' | 'committed' | 'released';
}

/** The checks against the payment, inventory, shipping and email stores. */
export function storeChecks(dataDir: string, outcomes: Outcome[]): AuditCheck[] {
  const read = <T>(service: string, sql: string): T[] => {
    const db = new Database(path.join(dataDir, `${service}.db`), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  };
  const completed = outcomes.filter((o) => o.ended === 'completed');
  const compensated = outcomes.filter((o) => o.ended === 'compensated');

  const ledger = read<LedgerTotals>(
    'payment',
    `SELECT order_id AS orderId, SUM(movement = 'capture') AS captures, SUM(movement = 'refund') AS refunds FROM ledger GROUP BY order_id`,
  );
  const money = new Map(ledger.map((row) => [row.orderId, row]));
  const moneyOf = (orderId: string) => money.get(orderId) ?? { orderId, captures: 0, refunds: 0 };

  const stock = read<{ sku: string; taken: number; held: number }>(
    'inventory',
    `SELECT p.sku, p.target_stock - p.stock AS taken,
            COALESCE(SUM(CASE WHEN r.status IN ('reserved', 'committed') THEN r.quantity END), 0) AS held
     FROM products p LEFT JOIN reservations r ON r.sku = p.sku GROUP BY p.sku ORDER BY p.sku`,
  );
  const reservations = read<Reservation>('inventory', 'SELECT order_id AS orderId, sku, quantity, status FROM reservations');
  const emails = read<{ orderId: string; template: string; sent: number }>(
    'email',
    'SELECT order_id AS orderId, template, COUNT(*) AS sent FROM sent_emails GROUP BY order_id, template ORDER BY template',
  );
  const shipments = read<{ orderId: string; booked: number; delivered: number }>(
    'shipping',
    `SELECT order_id AS orderId, COUNT(*) AS booked, SUM(status = 'delivered') AS delivered FROM shipments GROUP BY order_id`,
  );

  const placedIds = new Set(outcomes.map((o) => o.order.orderId));
  const strangers = new Set(
    [...ledger, ...reservations, ...emails, ...shipments].map((row) => row.orderId).filter((orderId) => !placedIds.has(orderId)),
  );
  const heldBy = (orderId: string) => reservations.filter((r) => r.orderId === orderId && r.status !== 'released');
  const templatesOf = (orderId: string) => emails.filter((e) => e.orderId === orderId).map((e) => e.template).join(',');
  const shipmentOf = (orderId: string) => shipments.find((s) => s.orderId === orderId) ?? { booked: 0, delivered: 0 };
  const captured = compensated.filter((o) => moneyOf(o.order.orderId).captures > 0).length;

  return [
    check(
      'at most one capture per order (payment ledger)',
      ledger.filter((row) => row.captures > 1).map((row) => `${row.orderId} captured ${row.captures} times`),
      `${ledger.reduce((sum, row) => sum + row.captures, 0)} captures for ${ledger.length} orders in the ledger`,
    ),
    check(
      'every completed order was charged exactly once and never refunded',
      completed.map((o) => moneyOf(o.order.orderId)).filter((m) => m.captures !== 1 || m.refunds !== 0).map((m) => `${m.orderId} captures ${m.captures}, refunds ${m.refunds}`),
      `${completed.length} completed orders, one capture each`,
    ),
    check(
      'refunds match compensations: a compensated order is refunded exactly when it was charged',
      compensated.map((o) => moneyOf(o.order.orderId)).filter((m) => m.refunds !== m.captures).map((m) => `${m.orderId} captures ${m.captures}, refunds ${m.refunds}`),
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
        ...completed.filter((o) => !commitsExactly(heldBy(o.order.orderId), o.order.items)).map((o) => `${o.order.orderId} holds ${describeHeld(heldBy(o.order.orderId))}`),
        ...compensated.filter((o) => heldBy(o.order.orderId).length > 0).map((o) => `${o.order.orderId} (compensated) holds ${describeHeld(heldBy(o.order.orderId))}`),
      ],
      `${reservations.filter((r) => r.status === 'committed').length} lines committed, ${reservations.filter((r) => r.status === 'released').length} released, 0 left reserved`,
    ),
    check(
      'at most one email per order and template',
      emails.filter((e) => e.sent > 1).map((e) => `${e.orderId} ${e.template} sent ${e.sent} times`),
      `${emails.length} emails`,
    ),
    check(
      'each ended order got the one email its outcome calls for',
      [
        ...completed.filter((o) => templatesOf(o.order.orderId) !== 'order-confirmation').map((o) => `${o.order.orderId} completed, emails: ${templatesOf(o.order.orderId) || 'none'}`),
        ...compensated.filter((o) => templatesOf(o.order.orderId) !== 'order-cancelled').map((o) => `${o.order.orderId} compensated, emails: ${templatesOf(o.order.orderId) || 'none'}`),
      ],
      `${completed.length} confirmations, ${compensated.length} cancellation notices`,
    ),
    check(
      'one delivered shipment per completed order, none for a compensated one',
      [
        ...completed.filter((o) => shipmentOf(o.order.orderId).booked !== 1 || shipmentOf(o.order.orderId).delivered !== 1).map((o) => `${o.order.orderId} completed with ${shipmentOf(o.order.orderId).booked} shipments`),
        ...compensated.filter((o) => shipmentOf(o.order.orderId).booked > 0).map((o) => `${o.order.orderId} compensated with a shipment`),
      ],
      `${shipments.length} shipments, all delivered`,
    ),
    check('the stores hold no order the demo did not place', [...strangers], 'none'),
  ];
}

/** Whether an order's stock lines are all committed and add up to its items, SKU by SKU. */
function commitsExactly(held: Reservation[], items: PlacedOrder['items']): boolean {
  const want = new Map<string, number>();
  for (const { sku, quantity } of items) want.set(sku, (want.get(sku) ?? 0) + quantity);
  return held.length === want.size && held.every((r) => r.status === 'committed' && want.get(r.sku) === r.quantity);
}

const describeHeld = (held: Reservation[]): string => held.map((r) => `${r.quantity} ${r.sku} ${r.status}`).join(', ') || 'nothing';
