import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PERMISSIONS,
  sendAutocomplete,
  sendCommand,
  sendComponent,
} from '../../fakes/discord/interactions.js';
import { answerTo, EPHEMERAL, failOnCrash, type Harness, startHarness } from './harness.js';

failOnCrash();

describe('/papers through Discord (real discord.js against the fake)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('search answers with an embed of matching papers and mentions disabled', async () => {
    const answer = await answerTo(h.fake, sendCommand(h.fake, 'search', { query: 'robotics' }));
    // Store work follows the defer (type 5); the answer edits the deferred original.
    expect(answer.callbackType).toBe(5);
    expect(answer.via).toBe('edit');
    expect(answer.message.flags ?? 0).toBe(0);
    expect(answer.message.allowed_mentions).toEqual({ parse: [] });
    const embed = answer.message.embeds[0];
    expect(embed.title).toContain('robotics');
    expect(embed.description).toMatch(/Robotic/);
    expect(embed.footer.text).toMatch(/^Page 1\//);
  });

  it('show answers with the paper, and its autocomplete offers it by title', async () => {
    const choices = await answerTo(
      h.fake,
      sendAutocomplete(h.fake, 'show', 'paper', { paper: 'CycleQ' }),
    );
    expect(choices.callbackType).toBe(8);
    const list = choices.message.choices as Array<{ name: string; value: string }>;
    expect(list.length).toBeGreaterThan(0);
    expect(list.length).toBeLessThanOrEqual(25);
    for (const c of list) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.value.length).toBeLessThanOrEqual(100);
    }
    const cycle = list.find((c) => c.name.includes('CycleQD'));
    expect(cycle).toBeDefined();

    const answer = await answerTo(
      h.fake,
      sendCommand(h.fake, 'show', { paper: cycle?.value ?? '' }),
    );
    expect(answer.message.embeds[0].title).toBe(
      'Agent Skill Acquisition for Large Language Models via CycleQD',
    );
    expect(answer.message.embeds[0].fields.map((f: { name: string }) => f.name)).toContain('Date');
  });

  it('autocomplete for unsubscribe offers the channel topics; for schedule, time zones', async () => {
    const { other } = h.fake.channels;
    const place = { channelId: other, permissions: PERMISSIONS.manager };
    await answerTo(
      h.fake,
      sendCommand(h.fake, 'subscribe', { topic: 'graph neural networks' }, place),
    );
    const topics = await answerTo(
      h.fake,
      sendAutocomplete(h.fake, 'unsubscribe', 'topic', { topic: 'gra' }, place),
    );
    expect(topics.message.choices).toEqual([
      { name: 'graph neural networks', value: 'graph neural networks' },
    ]);
    const zones = await answerTo(
      h.fake,
      sendAutocomplete(
        h.fake,
        'schedule',
        'timezone',
        { time: '09:00', timezone: 'Europe/Be' },
        place,
      ),
    );
    expect(zones.message.choices.map((c: { value: string }) => c.value)).toContain('Europe/Berlin');
  });

  it('a slow path (digest preview) is deferred, then the original is edited', async () => {
    const answer = await answerTo(h.fake, sendCommand(h.fake, 'digest'));
    expect(answer.callbackType).toBe(5);
    expect(answer.via).toBe('edit');
    expect(answer.message.embeds[0].title).toMatch(/digest/i);
    expect(answer.message.allowed_mentions).toEqual({ parse: [] });
  });

  it('subscribe needs Manage Channels: refused ephemerally without it, done with it', async () => {
    const { text } = h.fake.channels;
    const refused = await answerTo(
      h.fake,
      sendCommand(h.fake, 'subscribe', { topic: 'robotics' }, { permissions: PERMISSIONS.member }),
    );
    expect(refused.callbackType).toBe(4);
    expect(refused.message.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(refused.message.embeds[0].description).toContain('Manage Channels');
    const ref = { platform: 'discord' as const, workspace: h.fake.guildId, channel: text };
    expect(await h.bot.store.listSubscriptions(ref)).toEqual([]);

    const done = await answerTo(
      h.fake,
      sendCommand(h.fake, 'subscribe', { topic: 'robotics' }, { permissions: PERMISSIONS.manager }),
    );
    expect(done.callbackType).toBe(5);
    expect(done.via).toBe('edit');
    expect(done.message.flags ?? 0).toBe(0);
    expect(done.message.embeds[0].title).toBe('Subscribed');
    expect((await h.bot.store.listSubscriptions(ref)).map((s) => s.topic)).toEqual(['robotics']);
  });

  it('bad input gets an ephemeral, specific error with the usage', async () => {
    const answer = await answerTo(
      h.fake,
      sendCommand(h.fake, 'search', { query: 'robotics', since: 'last tuesday' }),
    );
    expect(answer.message.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(answer.message.embeds[0].description).toMatch(/since/);
    expect(answer.message.embeds[0].fields[0].value).toContain('/papers search');
  });

  it('a choice menu runs show with the chosen paper', async () => {
    const answer = await answerTo(h.fake, sendCommand(h.fake, 'show', { paper: 'language' }));
    const menu = answer.message.components?.[0]?.components?.[0];
    if (answer.message.embeds[0].fields) {
      // The fragment resolved to one paper: nothing to choose.
      expect(answer.message.embeds[0].title).toMatch(/language/i);
      return;
    }
    expect(menu.type).toBe(3);
    const picked = menu.options[0];
    const chosen = await answerTo(
      h.fake,
      sendComponent(h.fake, menu.custom_id, { id: '1', ...answer.message }, {}, [picked.value]),
    );
    expect(chosen.callbackType).toBe(6);
    expect(chosen.via).toBe('edit');
    expect(chosen.message.embeds[0].footer.text).toContain(picked.value);
  });

  it('works in a DM: search answers, subscribe makes a personal digest', async () => {
    const dm = { dm: true, channelId: '500000000000000777', userId: '600000000000000777' };
    const search = await answerTo(h.fake, sendCommand(h.fake, 'search', { query: 'robotics' }, dm));
    expect(search.message.embeds[0].title).toContain('robotics');
    const latest = await answerTo(h.fake, sendCommand(h.fake, 'latest', { count: 3 }, dm));
    expect(latest.message.embeds[0].description).toMatch(/\*\*1\.\*\*/);
    const sub = await answerTo(h.fake, sendCommand(h.fake, 'subscribe', { topic: 'robotics' }, dm));
    expect(sub.message.embeds[0].title).toBe('Subscribed');
    const ref = { platform: 'discord' as const, workspace: 'dm', channel: dm.channelId };
    expect((await h.bot.store.listSubscriptions(ref)).map((s) => s.topic)).toEqual(['robotics']);

    // The personal digest is posted to the DM channel.
    const posted = await h.adapter.post(ref, {
      kind: 'digest',
      date: '2025-12-12',
      title: 'Your digest',
      deliveryId: 'd-dm',
      sections: [],
      emptyText: 'Nothing new.',
    });
    expect(h.fake.messages(dm.channelId).map((m) => m.id)).toEqual(posted.messageIds);
  });
});
