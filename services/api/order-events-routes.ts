import { setTimeout as sleep } from 'node:timers/promises';
import { FINAL_STATUSES, type TimelineEntry } from '../../workflows/types';
import { logOrder, type ApiContext } from './context';
import { errorReply } from './errors';
import { readOrderView, type OrderRead } from './order-view';
import { errorReplies, orderIdParams } from './schemas';
import { isTemporalUnavailable } from './temporal-calls';
import type { ApiInstance } from './type-provider';

export interface OrderEventsOptions {
  /** How often the stream asks the workflow for its status. */
  pollMs: number;
}

// Proxies cut connections that stay silent; a comment line every 15s keeps the stream open.
const KEEP_ALIVE_MS = 15_000;

const stepKey = (entry: TimelineEntry, index: number): string => `${index}:${entry.step}:${entry.state}`;

/** The timeline entries that are new or changed state since the previous view: each step is reported even if a poll missed its status. */
function changedSteps(previous: OrderRead | undefined, next: OrderRead): TimelineEntry[] {
  const seen = new Set(previous?.timeline.map(stepKey));
  return next.timeline.filter((entry, index) => !seen.has(stepKey(entry, index)));
}

/** Ends every open stream when the app closes, so shutdown does not wait for clients to hang up. */
function streamRegistry(app: ApiInstance): Set<AbortController> {
  const open = new Set<AbortController>();
  app.addHook('preClose', async () => open.forEach((stream) => stream.abort()));
  return open;
}

/**
 * GET /orders/:id/events: a server-sent events stream of the order, until it is final.
 * The server polls the workflow's status query and sends what changed; it stops polling as
 * soon as the client goes away.
 */
export async function orderEventsRoutes(app: ApiInstance, options: ApiContext & OrderEventsOptions): Promise<void> {
  const { links, pollMs } = options;
  const open = streamRegistry(app);

  app.get(
    '/orders/:id/events',
    {
      schema: {
        summary: "A live stream of an order's progress (server-sent events)",
        description: [
          'Events: `step` for each timeline entry that starts, completes or fails; `status` with the whole order (as GET /orders/:id) whenever it changes;',
          '`fallback`, in the same shape, whenever what Temporal knows without a worker changes while no orders worker answers (the stream keeps going);',
          '`unavailable` when Temporal does not answer (the stream keeps trying); `end` once the order is final, after which the server closes the stream.',
        ].join(' '),
        tags: ['orders'],
        params: orderIdParams,
        produces: ['text/event-stream'],
        response: {
          200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          ...errorReplies(400, 404, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const { id: orderId } = request.params;
      logOrder(request, reply, orderId);
      // Read once before streaming, so an unknown order is a plain 404 in the error shape.
      let view = await readOrderView(options, orderId);

      const stream = new AbortController();
      open.add(stream);
      reply.raw.on('close', () => stream.abort());
      reply.hijack();
      reply.raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      let eventId = 0;
      const send = (event: string, data: unknown) =>
        reply.raw.write(`id: ${++eventId}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
      request.log.info('order events stream opened');

      let previous: OrderRead | undefined;
      // A description has no timeline: steps are compared with the last view that had one, so none is reported twice.
      let previousTimeline: OrderRead | undefined;
      let unavailable = false;
      try {
        while (!stream.signal.aborted) {
          const described = view.source === 'description';
          if (!described) {
            for (const entry of changedSteps(previousTimeline, view)) send('step', entry);
            previousTimeline = view;
          }
          if (JSON.stringify(previous) !== JSON.stringify(view))
            send(described ? 'fallback' : 'status', { ...view, links: links(orderId) });
          previous = view;
          if (FINAL_STATUSES.includes(view.status)) {
            send('end', { orderId, status: view.status });
            break;
          }
          await sleep(pollMs, undefined, { signal: stream.signal });
          try {
            view = await readOrderView(options, orderId);
            unavailable = false;
          } catch (err) {
            if (!isTemporalUnavailable(err)) throw err;
            if (!unavailable) send('unavailable', errorReply(err as Error));
            unavailable = true;
          }
        }
      } catch (err) {
        if (!stream.signal.aborted) {
          request.log.error({ err }, 'order events stream failed');
          send('error', errorReply(err as Error));
        }
      } finally {
        clearInterval(keepAlive);
        open.delete(stream);
        reply.raw.end();
        request.log.info({ reason: stream.signal.aborted ? 'client gone or server closing' : 'order final' }, 'order events stream closed');
      }
    },
  );
}
