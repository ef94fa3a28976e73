import { afterEach, describe, expect, it } from 'vitest';
import { commandJson } from '../../../src/adapters/discord/registration.js';
import { SUBCOMMANDS } from '../../../src/commands/spec.js';
import { type FakeDiscord, startFakeDiscord } from '../../fakes/discord/fake-discord.js';
import type { Json } from '../../fakes/discord/recorder.js';
import { failOnCrash, type Harness, startHarness, TOKEN } from './harness.js';

failOnCrash();

describe('Discord command registration', () => {
  let fake: FakeDiscord | undefined;
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.close();
    await fake?.close();
    h = undefined;
    fake = undefined;
  });

  it('generates /papers from the spec: subcommands, option types, bounds, choices, autocomplete', () => {
    const [command] = commandJson('global') as Array<Record<string, Json>>;
    expect(command?.name).toBe('papers');
    expect(command?.contexts).toEqual([0, 1]);
    const subs = command?.options as Array<Record<string, Json>>;
    expect(subs.map((s) => s.name)).toEqual(SUBCOMMANDS.map((s) => s.name));
    const search = subs.find((s) => s.name === 'search');
    expect(search?.options[0]).toMatchObject({
      type: 3,
      name: 'query',
      required: true,
      max_length: 300,
    });
    expect(search?.options.find((o: Json) => o.name === 'page')).toMatchObject({
      type: 4,
      min_value: 1,
      max_value: 100,
    });
    const show = subs.find((s) => s.name === 'show');
    expect(show?.options[0]).toMatchObject({ name: 'paper', autocomplete: true });
    const schedule = subs.find((s) => s.name === 'schedule');
    expect(schedule?.options.find((o: Json) => o.name === 'days').choices).toEqual([
      { name: 'every', value: 'every' },
      { name: 'weekdays', value: 'weekdays' },
    ]);
    expect(schedule?.options.find((o: Json) => o.name === 'timezone').autocomplete).toBe(true);
    const unsubscribe = subs.find((s) => s.name === 'unsubscribe');
    expect(unsubscribe?.options[0].autocomplete).toBe(true);
    for (const sub of subs) {
      expect(sub.description.length).toBeLessThanOrEqual(100);
      const required = sub.options.map((o: Json) => Boolean(o.required));
      expect(required).toEqual(
        [...required].sort((a: boolean, b: boolean) => Number(b) - Number(a)),
      );
    }
  });

  it('registers once; a second start with the same spec makes no write', async () => {
    fake = await startFakeDiscord();
    h = await startHarness({ fake });
    expect(fake.commandWrites).toBe(1);
    const put = fake.requests.find((r) => r.method === 'PUT');
    expect(put?.path).toBe(`/applications/${fake.applicationId}/commands`);
    expect(put?.body).toEqual(commandJson('global'));

    await h.restart();
    expect(fake.identifies).toBe(2);
    expect(fake.commandWrites).toBe(1);
    expect(
      fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/commands')),
    ).toHaveLength(2);
  });

  it('re-registers when the registered command differs, on the guild when DISCORD_GUILD_ID is set', async () => {
    fake = await startFakeDiscord();
    fake.commands.set(fake.guildId, [
      { id: '1', name: 'papers', description: 'old', type: 1, options: [] },
    ]);
    h = await startHarness({ fake, guildId: fake.guildId });
    const put = fake.requests.find((r) => r.method === 'PUT');
    expect(put?.path).toBe(`/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`);
    expect(put?.body).toEqual(commandJson('guild'));
    expect(fake.commandWrites).toBe(1);
  });

  it('logs the invite URL with the needed permissions and never the token', async () => {
    fake = await startFakeDiscord();
    h = await startHarness({ fake });
    const logs = h.logs.join('');
    const invite = /https:\/\/discord\.com\/oauth2\/authorize\?[^"]+/.exec(logs)?.[0] ?? '';
    const permissions = BigInt(new URL(invite).searchParams.get('permissions') ?? '0');
    const bits = {
      send: 1n << 11n,
      embed: 1n << 14n,
      history: 1n << 16n,
      threads: 1n << 38n,
      manageMessages: 1n << 13n,
    };
    expect(permissions & bits.send).toBe(bits.send);
    expect(permissions & bits.embed).toBe(bits.embed);
    expect(permissions & bits.history).toBe(bits.history);
    expect(permissions & bits.threads).toBe(bits.threads);
    expect(permissions & bits.manageMessages).toBe(0n);
    expect(new URL(invite).searchParams.get('scope')).toBe('bot applications.commands');
    expect(logs).not.toContain(TOKEN);
    // Only IDENTIFY carries the token (as the gateway requires); REST sends it as a header.
    const carriers = fake.requests.filter((r) => JSON.stringify(r.body ?? '').includes(TOKEN));
    expect(carriers.map((r) => `${r.method} ${r.path}`)).toEqual(['GATEWAY op:2']);
  });

  it('a rejected token fails start-up with no crash, no token in the error, and the fake left unused', async () => {
    fake = await startFakeDiscord();
    fake.fail({ path: /\/commands$/, status: 401 });
    const failed = await startHarness({ fake }).then(
      () => null,
      (error: unknown) => error as Error,
    );
    expect(failed).toBeInstanceOf(Error);
    expect(String(failed?.message)).not.toContain(TOKEN);
    expect(fake.identifies).toBe(0);
    expect(fake.commandWrites).toBe(0);
  });
});
