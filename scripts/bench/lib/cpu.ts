import fs from 'node:fs';

// Where a run's CPU went, per process: at the ceiling on a small machine every process competes
// for the same cores, so the CPU each one spends per order is what sets the throughput.

// /proc/<pid>/stat counts in USER_HZ, which Linux fixes at 100 for user space.
const TICKS_PER_SECOND = 100;

/** CPU seconds (user and system) the process has used so far; undefined where it or /proc is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** A reading of named processes' CPU, taken at the start of a run; `perOrder` reads them again. */
export class CpuMeter {
  private readonly start: Map<string, Reading>;

  constructor(private readonly pids: () => Record<string, number | undefined>) {
    this.start = this.read();
  }

  /**
   * "CPU per order: server 12.0 ms, orders 3.1 ms, ... (total 30.2 ms)", over the processes that
   * ran the whole time: one restarted in between (a new pid) is left out.
   */
  perOrder(orders: number): string {
    const parts: [string, number][] = [];
    for (const [name, { pid, seconds }] of this.read()) {
      const start = this.start.get(name);
      if (start?.pid === pid) parts.push([name, ((seconds - start.seconds) * 1000) / orders]);
    }
    const total = parts.reduce((sum, [, ms]) => sum + ms, 0);
    return `CPU per order: ${parts.map(([name, ms]) => `${name} ${ms.toFixed(1)} ms`).join(', ')} (total ${total.toFixed(1)} ms)`;
  }

  private read(): Map<string, Reading> {
    const readings = new Map<string, Reading>();
    for (const [name, pid] of Object.entries(this.pids())) {
      const seconds = pid === undefined ? undefined : cpuSeconds(pid);
      if (seconds !== undefined) readings.set(name, { pid: pid!, seconds });
    }
    return readings;
  }
}

interface Reading {
  pid: number;
  seconds: number;
}
