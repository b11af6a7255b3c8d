const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export const money = (cents: number): string => dollars.format(cents / 100);

/** "3 min" from an ISO time until now. */
export function age(since: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(since)) / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86_400)} d ${Math.floor((seconds % 86_400) / 3600)} h`;
}

/** "Times out in 23h 59m" until an ISO deadline, "Timed out" once it has passed. */
export function timeLeft(deadline: string, now = Date.now()): string {
  const leftMs = Date.parse(deadline) - now;
  if (leftMs <= 0) return 'Timed out';
  // Whole seconds left, rounded down: a day less half a second is still "23h 59m", not "1d 0h".
  const seconds = Math.floor(leftMs / 1000);
  if (seconds < 60) return `Times out in ${seconds}s`;
  if (seconds < 3600) return `Times out in ${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  if (seconds < 86_400) return `Times out in ${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  return `Times out in ${Math.floor(seconds / 86_400)}d ${Math.floor((seconds % 86_400) / 3600)}h`;
}

export const clock = (iso: string): string => new Date(iso).toLocaleTimeString();

/** "awaiting_approval" as people read it. */
export const statusLabel = (status: string): string => status.replace(/_/g, ' ');
