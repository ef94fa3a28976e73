import { expect } from 'vitest';
import type { FakeSlack } from '../../fakes/slack/fake-slack.js';
import { slackSignature } from '../../fakes/slack/signed-request.js';
import { type Mode, SIGNING_SECRET, type SlackBotUnderTest } from './slack-bot.js';

let eventCounter = 0;

/** An Events API callback as Slack sends it. */
export function eventCallback(
  fake: FakeSlack,
  event: Record<string, unknown>,
): Record<string, unknown> {
  eventCounter += 1;
  return {
    token: 'verification-token',
    team_id: fake.teamId,
    api_app_id: 'A0001',
    type: 'event_callback',
    event_id: `Ev${eventCounter}`,
    event_time: 1765540800,
    event,
  };
}

/** Delivers an event over HTTP (signed JSON) or Socket Mode (an `events_api` envelope). */
export async function deliverEvent(
  mode: Mode,
  fake: FakeSlack,
  slack: SlackBotUnderTest,
  body: Record<string, unknown>,
): Promise<void> {
  if (mode === 'socket') {
    const id = fake.socket.send('events_api', body);
    await fake.waitFor(() => fake.socket.acksFor(id)[0], 5000, `ack of ${id}`);
    return;
  }
  const raw = JSON.stringify(body);
  const timestamp = Math.floor(Date.now() / 1000);
  const res = await fetch(slack.eventsUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, raw),
    },
    body: raw,
  });
  expect(res.status).toBe(200);
}
