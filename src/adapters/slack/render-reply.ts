import type { Reply } from '../../commands/reply.js';
import type { RenderOptions, SlackMessage } from './blocks.js';
import { renderAnswer } from './render-answer.js';
import { renderDigest } from './render-digest.js';
import { renderChoice, renderDetail, renderList } from './render-list.js';
import { renderError, renderNotice, renderStatus } from './render-notice.js';

/** Any Reply → Slack message (pure; golden-tested). */
export function renderReply(reply: Reply, options: RenderOptions = {}): SlackMessage {
  switch (reply.kind) {
    case 'list':
      return renderList(reply, options);
    case 'detail':
      return renderDetail(reply);
    case 'choice':
      return renderChoice(reply, options);
    case 'digest':
      return renderDigest(reply);
    case 'status':
      return renderStatus(reply);
    case 'notice':
      return renderNotice(reply);
    case 'error':
      return renderError(reply);
    case 'answer':
      return renderAnswer(reply);
  }
}

/**
 * Only a paper's details go to the whole channel; lists (shareable with a button),
 * choices, errors, management answers and everything else answer the asker alone.
 */
export function isEphemeral(reply: Reply): boolean {
  return reply.kind !== 'detail';
}
