import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure } from '@temporalio/activity';
import { BusinessErrors } from '../../workflows/errors';
import { nowIso } from '../common/time';
import type { PaymentDatabase } from './store';

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
 * the original result instead of moving money again. It keeps its own table (in the payment
 * database, created by its migrations), as a real gateway keeps its own records.
 */
export class CardGateway {
  constructor(
    private readonly database: PaymentDatabase,
    private readonly settings: GatewaySettings,
    private readonly random: () => number = Math.random,
  ) {}

  /** Performs an operation once per idempotency key and returns the gateway's reference. */
  async perform(operation: GatewayOperation, idempotencyKey: string, amountCents: number, token?: string): Promise<string> {
    await sleep(this.settings.latencyMs);
    const previous = await this.reference(operation, idempotencyKey);
    if (previous) return previous;

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
    // Two replicas asking at once: the key's primary key lets one operation in, and both get its reference.
    await this.database.db
      .insertInto('gateway_operations')
      .values({
        idempotency_key: idempotencyKey,
        operation,
        reference: `${operation.slice(0, 3)}_${idempotencyKey}`,
        amount_cents: amountCents,
        created_at: nowIso(),
      })
      .onConflict((oc) => oc.columns(['idempotency_key', 'operation']).doNothing())
      .execute();
    return (await this.reference(operation, idempotencyKey))!;
  }

  private async reference(operation: GatewayOperation, idempotencyKey: string): Promise<string | undefined> {
    const row = await this.database.db
      .selectFrom('gateway_operations')
      .select('reference')
      .where('idempotency_key', '=', idempotencyKey)
      .where('operation', '=', operation)
      .executeTakeFirst();
    return row?.reference;
  }
}
