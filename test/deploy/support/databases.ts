/** The parts of a postgres:// URL that say who connects to what. */
export function databaseUrl(url: string): { user: string; password: string; host: string; port: string; database: string } {
  const parsed = new URL(url);
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw new Error(`not a postgres:// URL: ${url}`);
  return {
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    host: parsed.hostname,
    port: parsed.port,
    database: parsed.pathname.slice(1),
  };
}
