import type { Paper } from '../paper.js';
import type { DigestSelection } from './select.js';

/**
 * A digest message as the digest module hands it to a poster. Structurally a `DigestReply`
 * (core never imports commands), so an adapter's `post` takes it as it is.
 */
export interface DigestMessage {
  kind: 'digest';
  /** Local day of the digest, `YYYY-MM-DD`. */
  date: string;
  title: string;
  sections: Array<{ topic: string | null; items: Array<{ paper: Paper; why: string }> }>;
  /** Carried in the message (Discord embed footer, Slack metadata). */
  deliveryId?: string;
  part?: number;
  emptyText?: string;
}

/** A part's message as planned, kept in its ledger row so it is re-posted exactly so. */
export interface PartPlan {
  title: string;
  date: string;
  part: number;
  sections: Array<{ topic: string | null; items: Array<{ id: string; why: string }> }>;
  emptyText?: string;
}

export const EMPTY_TEXT = 'Nothing new today.';

/**
 * Splits a selection into message parts of at most `partSize` papers; sections continue
 * across parts. A note (papers carried from a failed day) joins the first part's title.
 */
export function planParts(
  selection: DigestSelection,
  date: string,
  partSize: number,
  note: string | null,
): PartPlan[] {
  const parts: PartPlan[] = [];
  let current: PartPlan['sections'] = [];
  let count = 0;
  const flush = () => {
    if (count === 0) return;
    parts.push({ title: '', date, part: parts.length + 1, sections: current });
    current = [];
    count = 0;
  };
  for (const section of selection.sections) {
    let open: PartPlan['sections'][number] | null = null;
    for (const pick of section.items) {
      if (count >= partSize) {
        flush();
        open = null;
      }
      if (!open) {
        open = { topic: section.topic, items: [] };
        current.push(open);
      }
      open.items.push({ id: pick.paper.id, why: pick.why });
      count++;
    }
  }
  flush();
  const total = parts.length;
  for (const p of parts) {
    const title = total > 1 ? `Paper digest ${date} (${p.part}/${total})` : `Paper digest ${date}`;
    p.title = p.part === 1 && note ? `${title} · ${note}` : title;
  }
  return parts;
}

/** The one part an empty digest posts when `digest.postWhenEmpty` is on. */
export function emptyPart(date: string): PartPlan {
  return { title: `Paper digest ${date}`, date, part: 1, sections: [], emptyText: EMPTY_TEXT };
}

/** The message a part's plan renders to; papers missing from `papers` are left out. */
export function toMessage(
  plan: PartPlan,
  deliveryId: string,
  papers: ReadonlyMap<string, Paper>,
): DigestMessage {
  return {
    kind: 'digest',
    date: plan.date,
    title: plan.title,
    sections: plan.sections.map((s) => ({
      topic: s.topic,
      items: s.items.flatMap((item) => {
        const paper = papers.get(item.id);
        return paper ? [{ paper, why: item.why }] : [];
      }),
    })),
    deliveryId,
    part: plan.part,
    ...(plan.emptyText ? { emptyText: plan.emptyText } : {}),
  };
}

/** The paper ids a part's plan lists. */
export function planPaperIds(plan: PartPlan): string[] {
  return plan.sections.flatMap((s) => s.items.map((i) => i.id));
}

const WEEKDAY = new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'UTC' });

/** "includes 12 papers from Tuesday, when posting failed" (the day is the failed run's). */
export function carriedNote(count: number, failedDate: string): string {
  const day = WEEKDAY.format(new Date(`${failedDate}T12:00:00Z`));
  return `includes ${count} paper${count === 1 ? '' : 's'} from ${day}, when posting failed`;
}
