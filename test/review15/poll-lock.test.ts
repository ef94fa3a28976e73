import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/core/store/postgres/postgres-store.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

// Review 15: the polling lock is a session advisory lock on one pooled connection. What does
// the holder see when that connection stops answering, and who polls then?

let server: TestPostgres;
let url = '';
let proxy: TcpProxy;
const stores: PostgresStore[] = [];

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('poll_lock');
}, 60_000);
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close().catch(() => undefined);
  await proxy?.close();
});
afterAll(async () => {
  await server?.stop();
});

/** Instance A reaches the database through the proxy, instance B directly. */
async function twoStores() {
  proxy = await startTcpProxy(Number(new URL(url).port));
  const viaProxy = new URL(url);
  viaProxy.port = String(proxy.port);
  const a = await PostgresStore.open(viaProxy.toString(), { connectTimeoutMs: 2_000 });
  const b = await PostgresStore.open(url);
  stores.push(a, b);
  return { a, b };
}

/** The answer of `ask`, or 'no answer' when it has not settled after `ms` of real time. */
function within<T>(ask: Promise<T>, ms: number): Promise<T | 'no answer'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'no answer'>((resolve) => {
    timer = setTimeout(() => resolve('no answer'), ms);
  });
  return Promise.race([ask, late]).finally(() => clearTimeout(timer));
}

describe('the polling lock when its connection fails', () => {
  it('a holder whose connection went silent (blackholed network) answers instead of hanging its tick', async () => {
    const { a, b } = await twoStores();
    expect(await a.holdPollingLock()).toBe(true);
    expect(await b.holdPollingLock()).toBe(false);
    proxy.freeze();
    // live.ts awaits this at the start of every tick, before any digest: while it hangs, the
    // instance neither polls nor posts digests. Nothing on the lock connection has a timeout
    // (no query_timeout / statement_timeout / keepAlive), so this waits for the kernel's TCP
    // retransmission limit (~15 min on Linux), or forever behind a proxy that keeps the socket
    // open. A hang has no other observable than time: 15 s is 7x the connect timeout here.
    expect(await within(a.holdPollingLock(), 15_000)).toBe(false);
  }, 30_000);
});
