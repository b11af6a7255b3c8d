import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { LoadedDataConverter } from '@temporalio/common';
import { decodeFailure } from '@temporalio/common/lib/internal-non-workflow';
import type { temporal } from '@temporalio/proto';

type Failure = temporal.api.failure.v1.IFailure;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

// Encrypted failures say "Encoded failure" until decoded: the SDK decodes the failures it turns
// into errors, not those in a raw history or a workflow description. These put the message back.

/**
 * A failure with its payloads decrypted and its message and stack trace taken back out of its
 * encoded attributes, causes included; as it was if this process lacks its key.
 */
export async function readableFailure(converter: LoadedDataConverter, failure: Failure): Promise<Failure> {
  const restore = (decoded: Failure): Failure => {
    const attributes = decoded.encodedAttributes
      ? converter.payloadConverter.fromPayload<{ message?: unknown; stack_trace?: unknown }>(decoded.encodedAttributes)
      : undefined;
    return {
      ...decoded,
      ...(typeof attributes?.message === 'string' && { message: attributes.message }),
      ...(typeof attributes?.stack_trace === 'string' && { stackTrace: attributes.stack_trace }),
      cause: decoded.cause ? restore(decoded.cause) : decoded.cause,
    };
  };
  try {
    return restore((await decodeFailure(converter.payloadCodecs, failure)) as Failure);
  } catch {
    // "Encoded failure" then says what happened: not decryptable here.
    return failure;
  }
}

/** The history's events with every failure (an activity's, a workflow task's, the workflow's) readable. */
export async function readableHistoryEvents(converter: LoadedDataConverter, events: readonly HistoryEvent[]): Promise<HistoryEvent[]> {
  return Promise.all(
    events.map(async (event) => {
      const copy: Record<string, unknown> = { ...event };
      for (const [field, attributes] of Object.entries(event)) {
        if (!field.endsWith('EventAttributes') || !attributes || typeof attributes !== 'object') continue;
        const { failure, lastFailure } = attributes as { failure?: Failure | null; lastFailure?: Failure | null };
        if (!failure && !lastFailure) continue;
        copy[field] = {
          ...attributes,
          ...(failure && { failure: await readableFailure(converter, failure) }),
          ...(lastFailure && { lastFailure: await readableFailure(converter, lastFailure) }),
        };
      }
      return copy as HistoryEvent;
    }),
  );
}

/** Makes a workflow description's pending activities show their last failure's real message. */
export function readableFailuresInterceptor(converter: LoadedDataConverter): WorkflowClientInterceptor {
  return {
    async describe(input, next) {
      const response = await next(input);
      for (const activity of response.pendingActivities ?? []) {
        if (activity.lastFailure) activity.lastFailure = await readableFailure(converter, activity.lastFailure);
      }
      return response;
    },
  };
}
