import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { slackSignature } from '../test/fakes/slack/signed-request.js';

/**
 * The Slack side of `npm run bench -- load` as its own process: it only signs and sends the
 * burst of slash commands and times each HTTP acknowledgement, so neither the fake servers
 * nor the bench's corpus share a CPU turn with the clock that measures the bot.
 * stdin: `{ url, secret, bodies: [{ id, body }] }`; stdout: `{ acks: [{ id, sentAt, ms }] }`
 * (`sentAt` in epoch ms, `ms` Infinity when refused).
 */
interface Job {
  url: string;
  secret: string;
  bodies: Array<{ id: string; body: string }>;
}

function post(url: URL, secret: string, body: string): Promise<number> {
  const timestamp = Math.floor(Date.now() / 1000);
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': slackSignature(secret, timestamp, body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

async function main(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const job = JSON.parse(input) as Job;
  const url = new URL(job.url);
  const acks = await Promise.all(
    job.bodies.map(async ({ id, body }) => {
      const sentAt = performance.timeOrigin + performance.now();
      const status = await post(url, job.secret, body);
      const ms = performance.timeOrigin + performance.now() - sentAt;
      return { id, sentAt, ms: status === 200 ? ms : null };
    }),
  );
  process.stdout.write(JSON.stringify({ acks }));
}

await main();
