import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/core/logger.js';
import { huggingFaceFetcher } from '../../../src/core/sources/fetch-huggingface.js';
import { pollSource } from '../../../src/core/sources/fetch-source.js';
import { DEFAULT_POLICY } from '../../../src/core/sources/http.js';
import { asyncStore } from '../../../src/core/store/async-store.js';
import { SqliteStore } from '../../../src/core/store/sqlite-store.js';
import { testConfig, testHttp, testTime } from '../../live/harness.js';

/** A port on 127.0.0.1 that nothing listens on: connections are refused, locally. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** An unreachable source's message and log line say why once, in one clean sentence. */
describe('a source that cannot be reached', () => {
  let store: SqliteStore;
  let time: ReturnType<typeof testTime>;
  let lines: Array<{ level: number; msg?: string; err?: { message: string } }>;

  beforeEach(() => {
    time = testTime('2026-06-10T06:00:00Z');
    store = SqliteStore.open(':memory:');
    lines = [];
  });
  afterEach(() => store.close());

  function poll(baseUrl: string) {
    const destination = {
      write(line: string) {
        lines.push(JSON.parse(line));
        return true;
      },
    } as unknown as NodeJS.WritableStream;
    const fetcher = huggingFaceFetcher(testConfig(baseUrl), { ...DEFAULT_POLICY, maxAttempts: 1 });
    return pollSource('huggingface', fetcher, {
      http: testHttp(time),
      store: asyncStore(store),
      clock: time.clock,
      logger: createLogger({ level: 'debug', destination }),
    });
  }

  function loggedFailure(): string {
    const warning = lines.find((l) => l.msg === 'source poll failed');
    expect(warning).toBeDefined();
    return warning?.err?.message ?? '';
  }

  it('names the network reason once (a port fetch refuses to use)', async () => {
    // fetch refuses port 9 itself ("bad port"), so nothing leaves the machine.
    const result = await poll('http://127.0.0.1:9');
    const expected = 'Hugging Face Daily Papers could not be reached (bad port).';
    expect(result.run.ok).toBe(false);
    expect(result.run.messages).toEqual([expected]);
    expect(loggedFailure()).toBe(expected);
  });

  it('names a refused connection without the generic "fetch failed"', async () => {
    const port = await closedPort();
    const result = await poll(`http://127.0.0.1:${port}`);
    const message = result.run.messages.at(-1) ?? '';
    expect(message).toMatch(
      /^Hugging Face Daily Papers could not be reached \([^()]*ECONNREFUSED[^()]*\)\.$/,
    );
    expect(message).not.toMatch(/fetch failed/);
    expect(loggedFailure()).toBe(message);
  });
});
