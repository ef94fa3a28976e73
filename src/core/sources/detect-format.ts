export type FeedFormat = 'hf-page' | 'hf-json' | 'arxiv-rss' | 'arxiv-atom' | 'jsonl';

/**
 * Names the format of a file from its first few KB (already decompressed), or null. Only
 * chooses a parser; the parser itself still rejects input that is not really the format.
 */
export function detectFormat(head: string): FeedFormat | null {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('<')) {
    // Skip the XML declaration, comments and doctype to find the root element's name.
    const root = /<([A-Za-z][\w:.-]*)[\s>/]/.exec(
      text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<![^>]*>/g, ''),
    );
    const name = root?.[1]?.toLowerCase();
    if (name === 'rss') return 'arxiv-rss';
    if (name === 'feed') return 'arxiv-atom';
    return null;
  }
  if (text.startsWith('[')) return 'hf-json';
  if (text.startsWith('{')) {
    const firstLine = text.split('\n', 1)[0]!;
    if (/"abstract"\s*:/.test(firstLine) && /"id"\s*:/.test(firstLine)) return 'jsonl';
    if (/"paper"\s*:/.test(text) || /"upvotes"\s*:/.test(text)) return 'hf-json';
    return null;
  }
  const lines = text.split(/\r?\n/, 200).map((line) => line.trim());
  if (lines.includes('Daily Papers') || lines.some((line) => /^•\s*\d+\s+authors?$/.test(line))) {
    return 'hf-page';
  }
  return null;
}
