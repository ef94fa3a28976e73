import type { SourceHealth } from '../core/health.js';
import { scrubSecretShapes } from '../core/secret-text.js';

/** What `/healthz` looks at; each is a function so every request reads the current state. */
export interface HealthInputs {
  /** A cheap read from the store (e.g. `countPapers`); throwing means the store is unusable. */
  probeStore(): Promise<number>;
  sourcesHealth(): Promise<SourceHealth[]>;
  /** Each running platform and whether it is connected now. */
  platformsConnected(): Record<string, boolean>;
}

export interface HealthReport {
  ok: boolean;
  /** Plain sentences, one per problem; empty when ok. */
  problems: string[];
  store: { ok: boolean; papers: number | null };
  sources: Array<{
    name: string;
    ok: boolean;
    lastSuccessAt: string | null;
    warning: string | null;
  }>;
  platforms: Record<string, boolean>;
}

/** Reads every input and says what is wrong; an input that throws is itself a problem. */
export async function checkHealth(inputs: HealthInputs): Promise<HealthReport> {
  const problems: string[] = [];
  let papers: number | null = null;
  try {
    papers = await inputs.probeStore();
  } catch (error) {
    problems.push(`store: cannot be read (${(error as Error).message})`);
  }

  let sources: HealthReport['sources'] = [];
  try {
    sources = (await inputs.sourcesHealth())
      .filter((s) => s.enabled)
      .map((s) => ({
        name: s.name,
        ok: s.warning === null,
        lastSuccessAt: s.lastSuccessAt,
        // A warning quotes an upstream error, which may quote a URL with its secret.
        warning: s.warning === null ? null : scrubSecretShapes(s.warning),
      }));
    for (const s of sources) if (s.warning) problems.push(`source ${s.name}: ${s.warning}`);
  } catch (error) {
    problems.push(`sources: health cannot be read (${(error as Error).message})`);
  }

  const platforms = inputs.platformsConnected();
  for (const [platform, connected] of Object.entries(platforms)) {
    if (!connected) problems.push(`platform ${platform}: not connected`);
  }
  return {
    ok: problems.length === 0,
    problems,
    store: { ok: papers !== null, papers },
    sources,
    platforms,
  };
}
