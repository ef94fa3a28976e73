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

/**
 * Instance A reaches the database through the proxy, instance B directly. A's lock deadlines
 * are short (still long for a query on a busy test machine), so a silent connection shows
 * within seconds (the defaults: 5 s for an answer, 3 min of server-side silence).
 */
async function twoStores() {
  proxy = await startTcpProxy(Number(new URL(url).port));
  const viaProxy = new URL(url);
  viaProxy.port = String(proxy.port);
  const a = await PostgresStore.open(viaProxy.toString(), {
    connectTimeoutMs: 2_000,
    pollLock: { deadlineMs: 1_000, idleSessionTimeoutMs: 1_500 },
  });
  const b = await PostgresStore.open(url);
  stores.push(a, b);
  return { a, b };
}

describe('the polling lock when its connection fails', () => {
  it('a holder whose connection went silent (blackholed network) answers instead of hanging its tick', async () => {
    const { a, b } = await twoStores();
    expect(await a.holdPollingLock()).toBe(true);
    expect(await b.holdPollingLock()).toBe(false);
    proxy.freeze();
    // live.ts awaits this at the start of every tick, before any digest. Without a deadline
    // on the lock's queries it waited for the kernel's TCP retransmission limit (~15 min on
    // Linux), or forever behind a proxy that keeps the socket open: with one, it answers
    // "not held" once the deadline (1 s here) passes. (A hang fails on the test timeout.)
    expect(await a.holdPollingLock()).toBe(false);
  });

  it('another instance takes the lock once the server ends the silent holder’s session', async () => {
    const { a, b } = await twoStores();
    expect(await a.holdPollingLock()).toBe(true);
    proxy.freeze();
    // The server hears nothing from A's session: idle_session_timeout (1.5 s here) ends it
    // and frees the lock; until then B is told no. Asked until it is free (bounded).
    let taken = false;
    for (let i = 0; i < 400 && !taken; i++) {
      taken = await b.holdPollingLock();
      if (!taken) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(taken).toBe(true);
    expect(await a.holdPollingLock()).toBe(false);
  });
});
