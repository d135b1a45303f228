export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface Latency {
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
}

/** Median wall time of `runs` calls after `warmups` untimed ones, one call at a time. */
export async function latency(fn: () => Promise<unknown>, options: { warmups: number; runs: number }): Promise<Latency> {
  for (let i = 0; i < options.warmups; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return { medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), runs: options.runs };
}

/** Peak resident set size while it runs, sampled every `everyMs` (plus once at start and stop). */
export class RssSampler {
  readonly startBytes = process.memoryUsage().rss;
  private peak = this.startBytes;
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = 100) {
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }

  stop(): { startBytes: number; peakBytes: number } {
    this.sample();
    clearInterval(this.timer);
    return { startBytes: this.startBytes, peakBytes: this.peak };
  }
}

export type CpuSnapshot = () => Promise<Map<number, number> | null>;

function clientCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Starts counting CPU; the returned function gives the bench process's and the server's CPU ms since (server: null if unknown). */
export async function startCpu(serverCpu: CpuSnapshot): Promise<() => Promise<{ clientMs: number; serverMs: number | null }>> {
  const serverBefore = await serverCpu();
  const clientBefore = clientCpuMs();
  return async () => {
    const clientMs = clientCpuMs() - clientBefore;
    const serverAfter = await serverCpu();
    if (!serverBefore || !serverAfter) return { clientMs, serverMs: null };
    let serverMs = 0;
    for (const [pid, used] of serverAfter) serverMs += used - (serverBefore.get(pid) ?? 0);
    return { clientMs, serverMs };
  };
}

export const mb = (bytes: number) => bytes / 1024 / 1024;
