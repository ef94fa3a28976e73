import {
  type ChoiceReply,
  type DetailReply,
  type ListReply,
  listCounts,
  type PageRequest,
} from '../../commands/reply.js';
import {
  type ActionCall,
  actions,
  button,
  context,
  jsonValue,
  type KnownBlock,
  packSections,
  type RenderOptions,
  type SlackMessage,
  section,
} from './blocks.js';
import { escapeMrkdwn, LIMITS, truncate } from './mrkdwn.js';
import { linksLine, metaLine, paperLineText, paperUrl } from './render-paper.js';

export function pageCall(request: PageRequest): ActionCall {
  return { command: request.command, options: { ...request.args, page: request.page } };
}

export function renderList(reply: ListReply, options: RenderOptions = {}): SlackMessage {
  const encode = options.encode ?? jsonValue;
  const note = reply.note ? `\n_${escapeMrkdwn(truncate(reply.note, 400))}_` : '';
  const title = `*${escapeMrkdwn(reply.title)}*${note}`;
  if (reply.items.length === 0) {
    const empty = escapeMrkdwn(reply.emptyText ?? 'Nothing matched.');
    return {
      text: truncate(`${escapeMrkdwn(reply.title)}: ${empty}`, LIMITS.fallbackText),
      blocks: [section(`${title}\n${empty}`)],
    };
  }
  const blocks: KnownBlock[] = [section(title)];
  // Header, footer context and buttons take 3 blocks; papers get the rest.
  const texts = reply.items.map((line, i) => paperLineText(line, i + 1));
  blocks.push(...packSections(texts, LIMITS.blocks - 3));
  const counts = listCounts(reply);
  blocks.push(context(`Page ${reply.page} of ${counts.pages} · ${counts.total} in all`));
  const buttons = [];
  if (reply.prev)
    buttons.push(button('papers_page_prev', '◀ Previous', encode(pageCall(reply.prev))));
  if (reply.next) buttons.push(button('papers_page_next', 'Next ▶', encode(pageCall(reply.next))));
  if (options.share)
    buttons.push(button('papers_share', 'Share to channel', encode(options.share), 'primary'));
  if (buttons.length > 0) blocks.push(actions(buttons));
  const fallback = [reply.title, ...reply.items.map((l, i) => `${i + 1}. ${l.paper.title}`)];
  return { text: truncate(escapeMrkdwn(fallback.join('\n')), LIMITS.fallbackText), blocks };
}

export function renderDetail(reply: DetailReply): SlackMessage {
  const { paper } = reply;
  const url = paperUrl(paper);
  const head = url ? `*<${url}|${escapeMrkdwn(paper.title)}>*` : `*${escapeMrkdwn(paper.title)}*`;
  const blocks: KnownBlock[] = [section(`${head}\n${metaLine(paper)}`)];
  if (paper.abstract) blocks.push(section(escapeMrkdwn(paper.abstract)));
  const links = linksLine(paper);
  if (links) blocks.push(section(links));
  const notes = [];
  if (paper.comments !== null) notes.push(`${paper.comments} comments`);
  if (paper.categories.length > 0) notes.push(escapeMrkdwn(paper.categories.join(', ')));
  if (paper.comment) notes.push(escapeMrkdwn(paper.comment));
  if (paper.sample) notes.push('sample paper');
  if (notes.length > 0) blocks.push(context(notes.join(' · ')));
  return { text: truncate(escapeMrkdwn(paper.title), LIMITS.fallbackText), blocks };
}

export function renderChoice(reply: ChoiceReply, options: RenderOptions = {}): SlackMessage {
  const encode = options.encode ?? jsonValue;
  const blocks: KnownBlock[] = [section(`*${escapeMrkdwn(reply.prompt)}*`)];
  // One block per candidate, each with its own button; keep within 50 blocks.
  const shown = reply.candidates.slice(0, LIMITS.blocks - 2);
  shown.forEach((paper, i) => {
    const call: ActionCall = { command: reply.command, options: { paper: paper.id } };
    const text = `*${escapeMrkdwn(paper.title)}*\n${metaLine(paper)}`;
    blocks.push(section(text, button(`papers_choose_${i}`, 'Show', encode(call))));
  });
  if (reply.candidates.length > shown.length)
    blocks.push(
      context(`${reply.candidates.length - shown.length} more not shown: try more words`),
    );
  const fallback = [reply.prompt, ...shown.map((p, i) => `${i + 1}. ${p.title}`)].join('\n');
  return { text: truncate(escapeMrkdwn(fallback), LIMITS.fallbackText), blocks };
}
