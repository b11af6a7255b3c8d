/** The current time as stored in every table: ISO 8601, UTC. */
export const nowIso = (): string => new Date().toISOString();
