import type { DigestSelection } from '../core/digest.js';
import type { Paper } from '../core/paper.js';
import type { Delivery, Store } from '../core/store/store.js';
import type { DigestReply, DigestSection } from './reply.js';

/** Stored next to the ledger row so a pending part can be re-posted exactly as planned. */
export interface PartPlan {
  title: string;
  date: string;
  part: number;
  sections: Array<{ topic: string | null; items: Array<{ id: string; why: string }> }>;
  emptyText?: string;
}

export const planKey = (deliveryId: string) => `delivery-plan:${deliveryId}`;

/** Splits a selection into message parts of at most `partSize` papers; sections continue across parts. */
export function planParts(
  selection: DigestSelection,
  digestDate: string,
  partSize: number,
): PartPlan[] {
  const parts: PartPlan[] = [];
  let current: PartPlan['sections'] = [];
  let count = 0;
  const flush = () => {
    if (count === 0) return;
    parts.push({ title: '', date: digestDate, part: parts.length + 1, sections: current });
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
  for (const p of parts)
    p.title =
      total > 1 ? `Paper digest ${digestDate} (${p.part}/${total})` : `Paper digest ${digestDate}`;
  return parts;
}

/** The message a part's plan renders to; papers missing from `papers` are left out. */
export function toReply(
  plan: PartPlan,
  deliveryId: string,
  papers: ReadonlyMap<string, Paper>,
): DigestReply {
  const sections: DigestSection[] = plan.sections.map((s) => ({
    topic: s.topic,
    items: s.items.flatMap((item) => {
      const paper = papers.get(item.id);
      return paper ? [{ paper, why: item.why }] : [];
    }),
  }));
  return {
    kind: 'digest',
    date: plan.date,
    title: plan.title,
    sections,
    deliveryId,
    part: plan.part,
    ...(plan.emptyText ? { emptyText: plan.emptyText } : {}),
  };
}

/** A pending row's message as it was planned, read back from the store (after a crash too). */
export function rebuildReply(row: Delivery, store: Store): DigestReply {
  const raw = store.getState(planKey(row.id));
  const plan: PartPlan = raw
    ? (JSON.parse(raw) as PartPlan)
    : // No plan (written by an older run): list the ledger's papers without topics.
      {
        title: `Paper digest ${row.digestDate}`,
        date: row.digestDate,
        part: row.part,
        sections: [{ topic: null, items: row.paperIds.map((id) => ({ id, why: '' })) }],
      };
  const papers = new Map(store.getPapers(row.paperIds).map((p) => [p.id, p]));
  return toReply(plan, row.id, papers);
}
