import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { Reply } from '../../src/commands/reply.js';
import { PaperboyError } from '../../src/core/errors.js';
import type { ChannelRef } from '../../src/core/store/store.js';

export interface FakeMessage {
  id: string;
  channel: string;
  deliveryId: string | null;
  part: number | null;
  date: string | null;
  kind: Reply['kind'];
  paperIds: string[];
  title: string;
}

const label = (ref: ChannelRef) => `${ref.platform}:${ref.workspace}:${ref.channel}`;

/**
 * A chat platform in a box: keeps the messages the bot posts (in memory, or appended to a
 * file so they outlive a killed process) and reads them back for `findDelivery`, as the
 * Discord footer / Slack metadata lookups do. Failures are programmable per channel.
 */
export class FakePlatform {
  readonly messages: FakeMessage[] = [];
  /** Channels that refuse for good (CHANNEL_UNAVAILABLE). */
  readonly refusing = new Map<string, string>();
  /** Channels whose next digest messages are rejected for good (POST_REJECTED), with the reason. */
  readonly rejecting = new Map<string, string>();
  /** Transient failures still to serve, per channel. */
  readonly flaky = new Map<string, number>();
  /** Called after a message is recorded, before `post` returns: a test may hang or crash here. */
  afterPost: (message: FakeMessage) => Promise<void> | void = () => {};
  posts = 0;
  finds = 0;

  constructor(private readonly file: string | null = null) {
    if (file && existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n'))
        if (line.trim()) this.messages.push(JSON.parse(line));
    }
  }

  async post(target: ChannelRef, reply: Reply): Promise<{ messageIds: string[] }> {
    this.posts++;
    const channel = label(target);
    const reason = this.refusing.get(channel);
    if (reason) throw new PaperboyError('CHANNEL_UNAVAILABLE', reason);
    const rejected = this.rejecting.get(channel);
    if (rejected) throw new PaperboyError('POST_REJECTED', rejected);
    const flaky = this.flaky.get(channel) ?? 0;
    if (flaky > 0) {
      this.flaky.set(channel, flaky - 1);
      throw new PaperboyError('POST_FAILED', 'the platform answered 500');
    }
    const message: FakeMessage = {
      id: `m${this.messages.length + 1}`,
      channel,
      deliveryId: reply.kind === 'digest' ? (reply.deliveryId ?? null) : null,
      part: reply.kind === 'digest' ? (reply.part ?? null) : null,
      date: reply.kind === 'digest' ? reply.date : null,
      kind: reply.kind,
      paperIds:
        reply.kind === 'digest'
          ? reply.sections.flatMap((s) => s.items.map((i) => i.paper.id))
          : [],
      title:
        reply.kind === 'digest'
          ? reply.title
          : reply.kind === 'notice'
            ? (reply.lines.join(' / ') ?? '')
            : '',
    };
    this.messages.push(message);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(message)}\n`);
    await this.afterPost(message);
    return { messageIds: [message.id] };
  }

  async findDelivery(target: ChannelRef, deliveryId: string): Promise<string | null> {
    this.finds++;
    const channel = label(target);
    return (
      this.messages.find((m) => m.channel === channel && m.deliveryId === deliveryId)?.id ?? null
    );
  }

  in(ref: ChannelRef): FakeMessage[] {
    return this.messages.filter((m) => m.channel === label(ref));
  }
}
