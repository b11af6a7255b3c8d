import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import pino, { type LoggerOptions } from 'pino';
import { orderWorkflowId, shipmentWorkflowId } from '../../workflows/ids';

// Every process writes one JSON object a line through pino: the API through Fastify, the workers
// through the SDK logger below. npm start turns the lines into short human ones (scripts/lib/log-format.ts).

/** The pino settings every process shares: the service's name, an ISO time, and the level by name. */
export const pinoOptions = (service: string, level: string): LoggerOptions => ({
  level,
  base: { service, pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
});

/** Where the SDK puts the time a workflow line was logged at, in nanoseconds (workflow lines reach the logger later, in a batch). */
const LogTimestamp: unique symbol = Symbol.for('log_timestamp');

const WORKFLOW_ID_PREFIXES = [orderWorkflowId(''), shipmentWorkflowId('')];

/** The order a workflow works for, read from its business-key id (workflows/ids.ts). */
export function orderIdOfWorkflow(workflowId: unknown): string | undefined {
  if (typeof workflowId !== 'string') return undefined;
  const prefix = WORKFLOW_ID_PREFIXES.find((candidate) => workflowId.startsWith(candidate));
  return prefix && workflowId.slice(prefix.length);
}

/** The trace id of the OpenTelemetry span active here, if there is one. */
function activeTraceId(): string | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  return context && isSpanContextValid(context) ? context.traceId : undefined;
}

/**
 * The fields of one line from the SDK's metadata: the order, the run (the SDK says workflowRunId
 * in activities), and the trace id outside workflow code, which has no OpenTelemetry context.
 */
function lineFields(meta: LogMetadata = {}): Record<string, unknown> {
  const { [LogTimestamp]: nanos, taskToken: _taskToken, workflowRunId, ...rest } = meta;
  const orderId = orderIdOfWorkflow(rest.workflowId);
  const fromWorkflowCode = rest.workflowId !== undefined && rest.activityType === undefined;
  const traceId = fromWorkflowCode ? undefined : activeTraceId();
  const time = typeof nanos === 'bigint' ? new Date(Number(nanos / 1_000_000n)) : new Date();
  return {
    time: time.toISOString(),
    ...(orderId && { orderId }),
    ...rest,
    ...(workflowRunId && { runId: workflowRunId }),
    ...(traceId && { traceId }),
  };
}

/**
 * The SDK's lifecycle lines, shown at debug: the runner says the same in its own words ("polling",
 * "stopped"), and a worker that runs no workflows (or no Nexus services) is so by design.
 */
const SDK_CHATTER = /^(Worker state changed|No workflows registered|No Nexus services registered)\b/;

/** The Temporal SDK's logger for a worker process: workflow, activity, worker and forwarded Core lines, as pino JSON. */
export class WorkerLogger implements Logger {
  private readonly pino: pino.Logger;

  constructor(service: string, level: string, destination?: pino.DestinationStream) {
    this.pino = pino({ ...pinoOptions(service, level), timestamp: false }, destination);
  }

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    const shown = meta?.sdkComponent === 'worker' && SDK_CHATTER.test(message) ? 'debug' : (level.toLowerCase() as pino.Level);
    this.pino[shown](lineFields(meta), message);
  }

  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }

  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }

  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }

  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }

  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

/**
 * Core's own warnings and errors, written by Core as JSON lines of its own shape (`fields.message`).
 * Not forwarded to the logger above: forwarding holds every line 100ms in a buffer, so a worker
 * that exits or is killed would lose its last lines, the ones that say why.
 */
export const coreLogsAsJson = { filter: { core: 'WARN', other: 'ERROR' }, console: { format: 'json' } } as const;
