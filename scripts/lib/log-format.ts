// npm start shows the processes' JSON log lines as short lines for a person: the time, the level,
// the message and the fields that say which order and which step. Anything that is not a JSON log
// line (a stack trace, a start-up failure) is shown as it is.

/** pino's numeric levels, for lines that carry a number instead of a name. */
const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

type LogLine = Record<string, unknown>;

/** The fields shown after the message, in this order, when the line has them. */
const KEY_FIELDS: Array<[label: string, value: (line: LogLine) => unknown]> = [
  ['order', (line) => line.orderId],
  ['workflow', (line) => (line.orderId === undefined ? line.workflowId : undefined)],
  ['activity', (line) => line.activityType],
  ['attempt', (line) => (typeof line.attempt === 'number' && line.attempt > 1 ? line.attempt : undefined)],
  ['status', (line) => (line.res as LogLine | undefined)?.statusCode],
  ['ms', (line) => (typeof line.responseTime === 'number' ? Math.round(line.responseTime) : undefined)],
  ['error', (line) => errorMessage(line.err ?? line.error)],
];

const errorMessage = (err: unknown): unknown => (err && typeof err === 'object' ? (err as LogLine).message : err);

/** A pino line, or a line of the SDK's Core (`timestamp`, `level`, `fields.message`) in the same shape. */
function parse(text: string): LogLine | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const line = JSON.parse(text) as unknown;
    if (!line || typeof line !== 'object') return undefined;
    const { fields, timestamp, ...rest } = line as LogLine;
    if (typeof rest.msg === 'string') return rest;
    const coreMessage = (fields as LogLine | undefined)?.message;
    return typeof coreMessage === 'string' ? { ...rest, time: timestamp, msg: coreMessage } : undefined;
  } catch {
    return undefined;
  }
}

/** The clock time of a line, HH:MM:SS.mmm, from pino's ISO time or epoch milliseconds. */
function clock(time: unknown): string {
  const date = typeof time === 'string' || typeof time === 'number' ? new Date(time) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString().slice(11, 23) : '--:--:--.---';
}

const levelName = (level: unknown): string => (typeof level === 'number' ? (LEVEL_NAMES[level] ?? String(level)) : String(level ?? 'info'));

/**
 * One line for a person from a JSON log line, e.g.
 * `12:04:05.120 WARN  payment authorized  order=ord_1 activity=authorizePayment attempt=2`;
 * a line that is not JSON is returned as it is.
 */
export function formatLogLine(text: string): string {
  const line = parse(text);
  if (!line) return text;
  const request = line.req as LogLine | undefined;
  const message = request ? `${line.msg} ${request.method} ${request.url}` : String(line.msg);
  const fields = KEY_FIELDS.flatMap(([label, value]) => {
    const shown = value(line);
    return shown === undefined || shown === null || shown === '' ? [] : [`${label}=${String(shown)}`];
  });
  const head = `${clock(line.time)} ${levelName(line.level).toUpperCase().padEnd(5)} ${message}`;
  return fields.length > 0 ? `${head}  ${fields.join(' ')}` : head;
}
