import type { OrderStatus } from '../../workflows/types';

// The end of the demo: proof that nothing was lost and nothing happened twice. Each driver reads
// what it can (the services' stores locally, the API on Kubernetes) and reports the same shape.

/** What the order stream meant an order to do. */
export type OrderKind = 'regular' | 'declined-card' | 'unserved-address';

/** An order the API accepted (201) during the demo. */
export interface PlacedOrder {
  orderId: string;
  workflowId: string;
  kind: OrderKind;
  items: { sku: string; quantity: number }[];
}

/** How an order ended: completed, compensated (failed, cancelled or rejected, with its saga run), or lost. */
export interface Outcome {
  order: PlacedOrder;
  ended: 'completed' | 'compensated' | 'lost';
  /** The order's last status, when it could be read. */
  status?: OrderStatus;
  /** Why an order counts as lost. */
  reason?: string;
}

export interface AuditCheck {
  name: string;
  ok: boolean;
  /** The figures behind the verdict, or the first offenders. */
  detail: string;
}

export interface AuditReport {
  placed: number;
  completed: number;
  compensated: number;
  lost: number;
  checks: AuditCheck[];
  passed: boolean;
}

const COMPENSATED: readonly OrderStatus[] = ['failed', 'cancelled', 'rejected'];

/** An order's outcome from its last known status; anything not final by the end of the drain is lost. */
export function outcomeOf(order: PlacedOrder, status: OrderStatus | undefined, reason?: string): Outcome {
  if (status === 'completed') return { order, ended: 'completed', status };
  if (status && COMPENSATED.includes(status)) return { order, ended: 'compensated', status };
  return { order, ended: 'lost', status, reason: reason ?? (status ? `still ${status}` : 'no status') };
}

/** A check that passes when nothing offends; names the first few offenders otherwise. */
export function check(name: string, offenders: string[], whenOk: string): AuditCheck {
  const shown = offenders.slice(0, 5).join('; ');
  return {
    name,
    ok: offenders.length === 0,
    detail: offenders.length === 0 ? whenOk : `${offenders.length}: ${shown}${offenders.length > 5 ? '; …' : ''}`,
  };
}

/** The checks every driver makes from the outcomes alone. */
export function outcomeChecks(outcomes: Outcome[]): AuditCheck[] {
  const expected = (kind: OrderKind) => (kind === 'regular' ? 'completed' : 'compensated');
  return [
    check(
      'every order placed has ended (none lost)',
      outcomes.filter((o) => o.ended === 'lost').map((o) => `${o.order.orderId} ${o.reason}`),
      `${outcomes.length} of ${outcomes.length}`,
    ),
    check(
      'each order ended as its kind should (regular: completed; declined card, unserved address: compensated)',
      outcomes
        .filter((o) => o.ended !== 'lost' && o.ended !== expected(o.order.kind))
        .map((o) => `${o.order.orderId} (${o.order.kind}) ${o.status}`),
      'all as expected',
    ),
  ];
}

/** The report: totals from the outcomes, and the verdict of every check. */
export function auditReport(outcomes: Outcome[], checks: AuditCheck[]): AuditReport {
  const count = (ended: Outcome['ended']) => outcomes.filter((o) => o.ended === ended).length;
  return {
    placed: outcomes.length,
    completed: count('completed'),
    compensated: count('compensated'),
    lost: count('lost'),
    checks,
    passed: checks.every((c) => c.ok),
  };
}

/** The report as lines for the terminal. */
export function auditLines(report: AuditReport): string[] {
  return [
    `Audit: ${report.passed ? 'PASSED' : 'FAILED'}`,
    `  orders placed ${report.placed} · completed ${report.completed} · compensated ${report.compensated} · lost ${report.lost}`,
    ...report.checks.map((c) => `  [${c.ok ? 'ok' : 'FAIL'}] ${c.name}: ${c.detail}`),
  ];
}
