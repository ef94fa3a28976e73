import { describe, expect, it } from 'vitest';
import { checkHealth } from '../../src/ops/health-check.js';

describe('/healthz report', () => {
  it('a source warning quoting a URL with its secret is shown blanked, in the source and the problems', async () => {
    const secret = 'mirror-password-77';
    const report = await checkHealth({
      probeStore: async () => 10,
      platformsConnected: () => ({ shell: true }),
      sourcesHealth: async () => [
        {
          name: 'arxiv',
          enabled: true,
          lastRunAt: null,
          lastSuccessAt: null,
          lastNewAt: null,
          warning: `failing since 09:00: https://mirror:${secret}@rss.example/rss/cs.RO refused`,
          lastRunWarnings: 0,
        },
      ],
    });
    expect(report.ok).toBe(false);
    const text = JSON.stringify(report);
    expect(text).toContain('failing since 09:00');
    expect(text).not.toContain(secret);
  });
});
