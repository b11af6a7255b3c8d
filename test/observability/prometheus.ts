/** One sample of the Prometheus text format: `name{label="value",...} 12.5`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key, value]));
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** A scrape of one /metrics endpoint, read by metric name and a subset of its labels. */
export class Scrape {
  private constructor(private readonly samples: Sample[]) {}

  static async of(read: () => Promise<string>): Promise<Scrape> {
    return new Scrape(parseSamples(await read()));
  }

  /** The sum of every sample of `name` whose labels include `labels`; 0 when there is none yet. */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.samples
      .filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
      .reduce((sum, sample) => sum + sample.value, 0);
  }

  /** The names of the metrics it holds. */
  names(): Set<string> {
    return new Set(this.samples.map((sample) => sample.name));
  }
}

/** Reads a worker's Prometheus endpoint. */
export const fetchText = (url: string) => async (): Promise<string> => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
};
