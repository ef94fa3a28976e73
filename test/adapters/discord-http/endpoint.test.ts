import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSignature, publicKeyFromHex } from '../../../src/adapters/discord-http/signature.js';
import { commandInteraction, PERMISSIONS } from '../../fakes/discord/interactions.js';
import { failOnCrash } from '../discord/harness.js';
import { type HttpHarness, keyPair, startHttpHarness } from './harness.js';

failOnCrash();

describe('Discord interactions endpoint: signatures and PING', () => {
  let h: HttpHarness;

  beforeAll(async () => {
    h = await startHttpHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const ping = JSON.stringify({ id: '1', application_id: '2', type: 1, version: 1 });
  let channels = 0;
  const nowSeconds = () => Math.floor(h.clock.now().getTime() / 1000);

  it('answers a signed PING with PONG (how the developer portal checks the URL)', async () => {
    const response = await h.post(ping);
    expect(response).toEqual({ status: 200, body: { type: 1 } });
  });

  it.each([
    ['a made-up signature', { signature: 'ab'.repeat(64) }],
    ['a signature made with the wrong key', { key: keyPair().privateKey }],
    ['a 6-minute-old timestamp', { timestamp: -6 * 60 }],
    ['a timestamp 6 minutes ahead', { timestamp: 6 * 60 }],
    ['no signature headers', { unsigned: true }],
    ['a signature that is not hex', { signature: 'not-hex' }],
  ])('rejects %s with 401 and runs nothing', async (_name, tweak) => {
    const channelId = String(100000000000000070n + BigInt(++channels));
    h.fake.addTextChannel(channelId);
    const sent = commandInteraction(
      h.fake,
      'subscribe',
      { topic: 'forged topic' },
      { channelId, permissions: PERMISSIONS.manager },
    );
    const before = h.seen.length;
    const { timestamp, ...rest } = tweak as { timestamp?: number };
    const options =
      timestamp === undefined ? rest : { ...rest, timestamp: nowSeconds() + timestamp };
    const response = await h.post(JSON.stringify(sent.payload), options);
    expect(response.status).toBe(401);
    expect(h.seen.length).toBe(before);
    const ref = { platform: 'discord' as const, workspace: h.fake.guildId, channel: channelId };
    expect(await h.bot.store.listSubscriptions(ref)).toEqual([]);
    // The same request, signed properly, does run.
    expect((await h.post(JSON.stringify(sent.payload))).status).toBe(200);
  });

  it('rejects a body changed after signing (the signature covers timestamp + raw body)', async () => {
    expect((await h.post(ping, { signBody: ping })).status).toBe(200);
    expect((await h.post(`${ping} `, { signBody: ping })).status).toBe(401);
  });

  it('accepts a timestamp 4 minutes old: only beyond 5 minutes is stale', async () => {
    expect((await h.post(ping, { timestamp: nowSeconds() - 4 * 60 })).status).toBe(200);
  });

  it('answers other paths with 404, GET with 405, and a signed non-interaction with 400', async () => {
    const base = h.url.replace('/discord/interactions', '');
    expect((await fetch(`${base}/other`, { method: 'POST' })).status).toBe(404);
    const get = await fetch(h.url);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await h.post('not json')).status).toBe(400);
    expect((await h.post('{"type":2}')).status).toBe(400);
  });
});

describe('checkSignature (pure)', () => {
  it('verifies Discord’s scheme: Ed25519 over timestamp + body, clock passed in', async () => {
    const { sign } = await import('node:crypto');
    const pair = keyPair();
    const key = publicKeyFromHex(pair.publicKeyHex);
    const body = Buffer.from('{"type":1}');
    const now = Date.UTC(2025, 11, 12, 10, 0, 0);
    const timestamp = String(now / 1000);
    const signature = sign(null, Buffer.from(timestamp + body.toString()), pair.privateKey);
    const request = { signature: signature.toString('hex'), timestamp, body };
    expect(checkSignature(request, key, now)).toEqual({ ok: true });
    expect(checkSignature(request, key, now + 5 * 60 * 1000)).toEqual({ ok: true });
    expect(checkSignature(request, key, now + 5 * 60 * 1000 + 1)).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(checkSignature({ ...request, body: Buffer.from('{"type":2}') }, key, now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(checkSignature({ ...request, signature: undefined }, key, now)).toEqual({
      ok: false,
      reason: 'missing',
    });
    expect(() => publicKeyFromHex('abc')).toThrow(/64 hex digits/);
  });
});
