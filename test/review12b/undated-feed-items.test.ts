import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../src/core/ingest.js';
import { paperDate } from '../../src/core/paper.js';
import { SqliteStore } from '../../src/core/store/sqlite-store.js';

// Issue 12: "A paper whose date is unknown is shown without a date … and is never matched by a
// `since:` filter"; "an item dropped or a field not understood is never silent". A saved
// listing whose items carry no date, in a file without a channel date, is dated by the day the
// file was last modified (a copy made today: today), so an old item shows today's date, is
// found by `since:` and is news. The RSS 2.0 path even warns "its date is unknown" for it.

const dir = mkdtempSync(path.join(os.tmpdir(), 'review12b-undated-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = new Date('2026-12-04T12:00:00.000Z');
// The day the archive was copied here (`cp` without -p): nothing to do with the papers.
const COPIED = new Date('2026-12-04T09:00:00.000Z');

async function ingest(name: string, content: string) {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  utimesSync(file, COPIED, COPIED);
  const store = SqliteStore.open(':memory:');
  try {
    const summary = await ingestFile({ store, file, now: () => NOW });
    const papers = [...store.iteratePapers()].flat();
    return { summary, papers };
  } finally {
    store.close();
  }
}

describe('review12b: listing items without a date, in a file without a channel date', () => {
  it('RSS 2.0: the item the warning calls undated shows no date', async () => {
    const { summary, papers } = await ingest(
      'undated.rss.xml',
      `<?xml version="1.0"?>
<rss version="2.0" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>cs.RO updates on arXiv.org</title><link>http://rss.arxiv.org/rss/cs.RO</link>
<item>
  <title>Grasping Without a Date</title>
  <link>https://arxiv.org/abs/2310.10001</link>
  <description>arXiv:2310.10001v1 Announce Type: new
Abstract: An abstract.</description>
  <guid isPermaLink="false">oai:arXiv.org:2310.10001v1</guid>
  <category>cs.RO</category>
  <arxiv:announce_type>new</arxiv:announce_type>
  <dc:creator>Jane Doe</dc:creator>
</item>
</channel></rss>
`,
    );
    expect(summary.warnings).toEqual([
      'item 1 "Grasping Without a Date": no pubDate, its date is unknown',
    ]);
    expect(papers).toHaveLength(1);
    // As the warning says: no date (never the file's modification day).
    expect(paperDate(papers[0]!)).toBeNull();
  });

  it('RSS 1.0 / RDF: an archive without dc:date says so, and its items show no date', async () => {
    const { summary, papers } = await ingest(
      'undated.rdf',
      `<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://arxiv.org/rss/cs.RO"><title>cs.RO updates on arXiv.org</title><link>http://arxiv.org/</link></channel>
<item rdf:about="http://arxiv.org/abs/0904.01234">
<title>An Old Paper from an Old Archive. (arXiv:0904.01234v1 [cs.RO])</title>
<link>http://arxiv.org/abs/0904.01234</link>
<description rdf:parseType="Literal">&lt;p&gt;An abstract.&lt;/p&gt;</description>
<dc:creator>Jane Doe</dc:creator>
</item>
</rdf:RDF>
`,
    );
    expect(papers).toHaveLength(1);
    expect(paperDate(papers[0]!)).toBeNull();
    // Never silent: the undated item is named.
    expect(summary.warnings.join('\n')).toMatch(/0904\.01234|An Old Paper/);
  });

  it('Atom listing: an entry without <published> or <updated> says so and shows no date', async () => {
    const { summary, papers } = await ingest(
      'undated.atom.xml',
      `<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns="http://www.w3.org/2005/Atom">
  <id>http://rss.arxiv.org/atom/cs.RO</id>
  <title>cs.RO updates on arXiv.org</title>
  <entry>
    <id>oai:arXiv.org:2609.28553v1</id>
    <title>An Undated Entry</title>
    <link href="https://arxiv.org/abs/2609.28553" rel="alternate" type="text/html"/>
    <summary>arXiv:2609.28553v1 Announce Type: new
Abstract: An abstract.</summary>
    <category term="cs.RO" scheme="http://arxiv.org/schemas/atom"/>
    <arxiv:announce_type>new</arxiv:announce_type>
    <dc:creator>Ada Walker</dc:creator>
  </entry>
</feed>
`,
    );
    expect(papers).toHaveLength(1);
    expect(paperDate(papers[0]!)).toBeNull();
    expect(summary.warnings.join('\n')).toMatch(/An Undated Entry/);
  });
});
