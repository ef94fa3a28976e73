import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkCard, paperLinks } from '../../src/commands/paper-card.js';
import type { ChannelRef } from '../../src/core/store/store.js';
import { recordPostedDigest } from '../support/posted-digest.js';
import { memoryBot, record } from './bot-fixture.js';

type Fixture = Awaited<ReturnType<typeof memoryBot>>;
let fixture: Fixture;
const ID = '2501.00001';
const LINK = `https://arxiv.org/abs/${ID}`;

beforeAll(async () => {
  fixture = await memoryBot({ sample: false });
  await fixture.bot.store.upsertPapers(
    [record(ID, 'Probe paper on widget folding', { abstract: 'Widget folding. It works.' })],
    fixture.clock.now(),
  );
});
afterAll(async () => {
  await fixture.bot.close();
});

async function cardText(here: ChannelRef, url = LINK): Promise<string> {
  const found = await linkCard(fixture.context(), here, url);
  if (found.kind !== 'card') throw new Error(`expected a card, got ${found.kind}`);
  return found.card.lines.join('\n');
}

describe('paper links in a message', () => {
  it.each([
    [`see ${LINK}, it is neat`],
    [`see ${LINK}.`],
    [`is it ${LINK}?`],
    [`(${LINK})`],
    [`${LINK}!`],
    [`[${LINK}]; and more`],
  ])('a link followed by punctuation is the bare link: %s', (text) => {
    expect(paperLinks(text)).toEqual([LINK]);
  });

  it('keeps a version and a .pdf ending, and the id inside a Slack <url|label>', () => {
    expect(paperLinks(`https://arxiv.org/pdf/${ID}v2.pdf.`)).toEqual([
      `https://arxiv.org/pdf/${ID}v2.pdf`,
    ]);
    expect(paperLinks(`<${LINK}|the paper>`)).toEqual([LINK]);
  });
});

describe('"posted here on" stays within the tenant', () => {
  const digestChannel: ChannelRef = { platform: 'discord', workspace: 'G1', channel: 'news' };
  const dmA: ChannelRef = { platform: 'discord', workspace: 'dm', channel: 'DM-A' };
  beforeAll(async () => {
    for (const [ref, message] of [
      [digestChannel, 'M-G1'],
      [dmA, 'M-DM-A'],
    ] as const) {
      await fixture.bot.store.setSchedule(ref, null, fixture.clock.now());
      await recordPostedDigest(fixture.bot.store, ref, [ID], message, '2025-12-01T09:00:00.000Z');
    }
  });

  it('another channel of the same server says when its digest carried the paper', async () => {
    expect(await cardText({ ...digestChannel, channel: 'general' })).toContain(
      'Posted here on 2025-12-01.',
    );
  });

  it("another server never sees this server's digest", async () => {
    expect(await cardText({ platform: 'discord', workspace: 'G2', channel: 'news' })).not.toContain(
      'Posted here',
    );
  });

  it("a Discord DM never sees another user's DM digest; its own it does", async () => {
    expect(await cardText({ ...dmA, channel: 'DM-B' })).not.toContain('Posted here');
    expect(await cardText(dmA)).toContain('Posted here on 2025-12-01.');
  });
});
