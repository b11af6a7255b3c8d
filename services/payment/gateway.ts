import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure } from '@temporalio/activity';
import { BusinessErrors } from '../../workflows/errors';
import { nowIso, type Db } from '../common/database';

export interface GatewaySettings {
  latencyMs: number;
  failureRate: number;
  declinedTokens: string[];
}

export type GatewayOperation = 'authorize' | 'capture' | 'refund';

/** A transient gateway fault: retryable, unlike a decline. */
export class GatewayUnavailableError extends Error {
  override name = 'GatewayUnavailable';
}

/**
 * A simulated card gateway that behaves like a real one where it matters: it is slow,
 * sometimes unavailable, declines some cards, and answers a repeated idempotency key with
 * the original result instead of moving money again. It keeps its own table, as a real
 * gateway keeps its own records.
 */
export class CardGateway {
  constructor(
    private readonly db: Db,
    private readonly settings: GatewaySettings,
    private readonly random: () => number = Math.random,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS gateway_operations (
      idempotency_key TEXT NOT NULL,
      operation TEXT NOT NULL,
      reference TEXT NOT NULL,
      amount_cents INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (idempotency_key, operation)
    )`);
  }

  /** Performs an operation once per idempotency key and returns the gateway's reference. */
  async perform(operation: GatewayOperation, idempotencyKey: string, amountCents: number, token?: string): Promise<string> {
    await sleep(this.settings.latencyMs);
    const previous = this.db
      .prepare('SELECT reference FROM gateway_operations WHERE idempotency_key = ? AND operation = ?')
      .get(idempotencyKey, operation) as { reference: string } | undefined;
    if (previous) return previous.reference;

    if (this.random() < this.settings.failureRate) {
      throw new GatewayUnavailableError(`card gateway unavailable during ${operation}`);
    }
    if (token !== undefined && this.settings.declinedTokens.includes(token)) {
      throw ApplicationFailure.create({
        type: BusinessErrors.CardDeclined,
        message: `the card was declined (${token})`,
        nonRetryable: true,
      });
    }
    const reference = `${operation.slice(0, 3)}_${idempotencyKey}`;
    this.db
      .prepare('INSERT INTO gateway_operations VALUES (?, ?, ?, ?, ?)')
      .run(idempotencyKey, operation, reference, amountCents, nowIso());
    return reference;
  }
}
