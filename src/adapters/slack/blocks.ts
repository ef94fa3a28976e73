import type { ActionsBlock, Button, ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import { LIMITS, plainLabel, truncate } from './mrkdwn.js';

export type { KnownBlock };

/** A command to run when a button is pressed: a PageRequest or a chosen candidate. */
export interface ActionCall {
  command: string;
  options: Record<string, string | number>;
}

/** What every Slack message Paperboy sends is made of. */
export interface SlackMessage {
  /** Plain fallback for notifications and clients without Block Kit (escaped). */
  text: string;
  blocks: KnownBlock[];
}

export interface RenderOptions {
  /** Turns an action into a button value ≤ 2000 chars (the adapter may park big ones in the store). */
  encode?: (call: ActionCall) => string;
  /** The call that produced a list: enables the "Share to channel" button. */
  share?: ActionCall;
}

export function jsonValue(call: ActionCall): string {
  return JSON.stringify({ c: call.command, o: call.options });
}

export function section(text: string, accessory?: Button): SectionBlock {
  const block: SectionBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) },
  };
  if (accessory) block.accessory = accessory;
  return block;
}

export function context(text: string): ContextBlock {
  return {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: truncate(text, LIMITS.contextText) }],
  };
}

export function button(
  actionId: string,
  label: string,
  value: string,
  style?: 'primary' | 'danger',
): Button {
  const b: Button = {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: plainLabel(label), emoji: false },
    value,
  };
  if (style) b.style = style;
  return b;
}

export function actions(elements: Button[]): ActionsBlock {
  return { type: 'actions', elements: elements.slice(0, LIMITS.actionsElements) };
}

/**
 * Joins consecutive section texts when there are more than `maxBlocks` of them, so a
 * long digest stays within 50 blocks and each section within 3000 characters.
 */
export function packSections(texts: string[], maxBlocks: number): SectionBlock[] {
  if (texts.length <= maxBlocks) return texts.map((t) => section(t));
  const packed: string[] = [];
  for (const text of texts) {
    const last = packed[packed.length - 1];
    if (last !== undefined && last.length + 2 + text.length <= LIMITS.sectionText)
      packed[packed.length - 1] = `${last}\n\n${text}`;
    else packed.push(text);
  }
  const blocks = packed.slice(0, maxBlocks).map((t) => section(t));
  if (packed.length > maxBlocks) {
    blocks[blocks.length - 1] = section(
      `…and ${packed.length - maxBlocks + 1} more parts not shown`,
    );
  }
  return blocks;
}
