import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  autocompleteInteraction,
  commandInteraction,
  componentInteraction,
  PERMISSIONS,
} from '../../fakes/discord/interactions.js';
import { type Answer, EPHEMERAL, failOnCrash } from '../discord/harness.js';
import { answerOverHttp, type HttpHarness, startHttpHarness } from './harness.js';

failOnCrash();

function nextButton(answer: Answer): { custom_id: string } {
  const buttons = answer.message.components?.[0]?.components ?? [];
  const next = buttons.find((b: { label: string }) => b.label.startsWith('Next'));
  if (!next) throw new Error(`no Next button in ${JSON.stringify(answer.message.components)}`);
  return next;
}

describe('/papers over HTTP interactions (defaults: digest, status, subscribe deferred)', () => {
  let h: HttpHarness;

  beforeAll(async () => {
    h = await startHttpHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers a quick command in the HTTP response, with no callback through REST', async () => {
    const sent = commandInteraction(h.fake, 'search', { query: 'robotics' });
    const answer = await answerOverHttp(h, sent);
    expect(answer.callbackType).toBe(4);
    expect(answer.message.embeds[0].title).toContain('robotics');
    expect(answer.message.allowed_mentions).toEqual({ parse: [] });
    expect(h.fake.requests.some((r) => r.path.includes(sent.id))).toBe(false);
  });

  it('defers a slow command (status) with type 5, then edits @original through the fake REST', async () => {
    const sent = commandInteraction(h.fake, 'status');
    const answer = await answerOverHttp(h, sent);
    expect(answer.callbackType).toBe(5);
    expect(answer.via).toBe('edit');
    expect(answer.message.embeds[0].title).toBe('Paperboy status');
    const edit = h.fake.requests.find((r) => r.method === 'PATCH' && r.path.includes(sent.token));
    // Webhook routes are authorised by the interaction token, not the bot token.
    expect(edit?.hasAuthorization).toBe(false);
    expect(edit?.path).toBe(`/webhooks/${h.fake.applicationId}/${sent.token}/messages/@original`);
  });

  it('refuses a manage command to a member at once (ephemeral, not deferred), runs it for a manager', async () => {
    const channelId = '100000000000000901';
    h.fake.addTextChannel(channelId);
    const member = await answerOverHttp(
      h,
      commandInteraction(
        h.fake,
        'subscribe',
        { topic: 'robotics' },
        { channelId, permissions: PERMISSIONS.member },
      ),
    );
    expect(member.callbackType).toBe(4);
    expect(member.message.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(member.message.embeds[0].description).toContain('Manage Channels');
    const manager = await answerOverHttp(
      h,
      commandInteraction(
        h.fake,
        'subscribe',
        { topic: 'robotics' },
        { channelId, permissions: PERMISSIONS.manager },
      ),
    );
    expect(manager.callbackType).toBe(5);
    expect(manager.message.embeds[0].title).toBe('Subscribed');
    const ref = { platform: 'discord' as const, workspace: h.fake.guildId, channel: channelId };
    expect((await h.bot.store.listSubscriptions(ref)).map((s) => s.topic)).toEqual(['robotics']);
  });

  it('answers autocomplete with type 8 choices within Discord’s limits', async () => {
    const answer = await answerOverHttp(
      h,
      autocompleteInteraction(h.fake, 'show', 'paper', { paper: 'CycleQ' }),
    );
    expect(answer.callbackType).toBe(8);
    const choices = answer.message.choices as Array<{ name: string; value: string }>;
    expect(choices.some((c) => c.name.includes('CycleQD'))).toBe(true);
    expect(choices.length).toBeLessThanOrEqual(25);
  });

  it('a paging button returns page 2 by updating the message (type 7)', async () => {
    const first = await answerOverHttp(h, commandInteraction(h.fake, 'search', { query: 'model' }));
    expect(first.message.embeds[0].footer.text).toMatch(/^Page 1\/\d+/);
    const second = await answerOverHttp(
      h,
      componentInteraction(h.fake, nextButton(first).custom_id, { id: '1', ...first.message }),
    );
    expect(second.callbackType).toBe(7);
    expect(second.message.embeds[0].footer.text).toMatch(/^Page 2\/\d+/);
    expect(h.seen.at(-1)?.call).toEqual({ name: 'search', options: { query: 'model', page: 2 } });
  });

  it('an expired button is answered ephemerally', async () => {
    const answer = await answerOverHttp(
      h,
      componentInteraction(h.fake, 'pk:doesnotexist', { id: '1', embeds: [] }),
    );
    // Deferred before its parked request is read (issue 13), then told privately.
    expect(answer.callbackType).toBe(6);
    expect(answer.via).toBe('followup');
    expect(answer.message.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(answer.message.embeds[0].description).toMatch(/expired/);
  });

  it('a choice menu runs show with the chosen paper', async () => {
    const offered = await answerOverHttp(
      h,
      autocompleteInteraction(h.fake, 'show', 'paper', { paper: 'CycleQ' }),
    );
    const value = (offered.message.choices as Array<{ name: string; value: string }>).find((c) =>
      c.name.includes('CycleQD'),
    )?.value;
    const answer = await answerOverHttp(
      h,
      componentInteraction(h.fake, 'ch:show', { id: '1', embeds: [] }, {}, [value ?? '']),
    );
    expect(answer.callbackType).toBe(7);
    expect(answer.message.embeds[0].title).toBe(
      'Agent Skill Acquisition for Large Language Models via CycleQD',
    );
  });

  it('works in a DM: the user manages their own digest there', async () => {
    const dm = { dm: true, channelId: '500000000000000888', userId: '600000000000000888' };
    const sub = await answerOverHttp(
      h,
      commandInteraction(h.fake, 'subscribe', { topic: 'robotics' }, dm),
    );
    expect(sub.message.embeds[0].title).toBe('Subscribed');
    const ref = { platform: 'discord' as const, workspace: 'dm', channel: dm.channelId };
    expect((await h.bot.store.listSubscriptions(ref)).map((s) => s.topic)).toEqual(['robotics']);
  });
});

describe('/papers over HTTP with search deferred (deferSubcommands: search)', () => {
  let h: HttpHarness;

  beforeAll(async () => {
    h = await startHttpHarness({ adapter: { deferSubcommands: ['search'] } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a deferred paging button answers type 6, then edits the message it sits on', async () => {
    const first = await answerOverHttp(h, commandInteraction(h.fake, 'search', { query: 'model' }));
    expect(first.callbackType).toBe(5);
    const click = componentInteraction(h.fake, nextButton(first).custom_id, {
      id: '1',
      ...first.message,
    });
    const second = await answerOverHttp(h, click);
    expect(second.callbackType).toBe(6);
    expect(second.via).toBe('edit');
    expect(second.message.embeds[0].footer.text).toMatch(/^Page 2\/\d+/);
  });

  it('a deferred answer that is an error replaces the public placeholder with a private follow-up', async () => {
    const sent = commandInteraction(h.fake, 'search', { query: 'robotics', since: 'last tuesday' });
    const answer = await answerOverHttp(h, sent);
    expect(answer.callbackType).toBe(5);
    expect(answer.via).toBe('followup');
    expect(answer.message.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(answer.message.embeds[0].description).toMatch(/since/);
    const deleted = h.fake.requests.find(
      (r) => r.method === 'DELETE' && r.path.includes(sent.token),
    );
    expect(deleted?.path).toMatch(/\/messages\/@original$/);
  });

  it('a failed edit is logged without the interaction token', async () => {
    h.fake.fail({ method: 'PATCH', path: /^\/webhooks\//, status: 404 });
    const sent = commandInteraction(h.fake, 'search', { query: 'robotics' });
    const response = await h.post(JSON.stringify(sent.payload));
    expect(response.body.type).toBe(5);
    const line = await h.waitForLog('could not finish a deferred interaction');
    expect(line).toContain('"status":404');
    expect(h.logs.join('')).not.toContain(sent.token);
  });
});

describe('stopping the HTTP adapter', () => {
  it('lets a deferred answer finish its edit before stop() resolves', async () => {
    const h = await startHttpHarness();
    try {
      const sent = commandInteraction(h.fake, 'status');
      const response = await h.post(JSON.stringify(sent.payload));
      expect(response.body.type).toBe(5);
      await h.adapter.stop();
      const edit = h.fake.requests.find((r) => r.method === 'PATCH' && r.path.includes(sent.token));
      expect(edit?.body.embeds[0].title).toBe('Paperboy status');
      expect(h.adapter.port).toBeNull();
    } finally {
      await h.close();
    }
  });
});
