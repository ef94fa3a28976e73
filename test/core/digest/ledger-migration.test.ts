import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../src/core/store/migrations.js';
import { SqliteStore } from '../../../src/core/store/sqlite-store.js';
import type { ChannelRef } from '../../../src/core/store/store.js';

const REF: ChannelRef = { platform: 'discord', workspace: 'g1', channel: 'c1' };

describe('the digest runs migration', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('turns sent deliveries into posted runs, so old digest threads still find their papers', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-ledger-'));
    const file = path.join(dir, 'paperboy.db');
    const old = new BetterSqlite3(file);
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    old.exec(`INSERT INTO channels (platform, workspace, channel) VALUES ('discord', 'g1', 'c1')`);
    const insert = old.prepare(
      `INSERT INTO deliveries (id, platform, workspace, channel, digest_date, part, paper_ids, state, message_id, created_at)
       VALUES (?, 'discord', 'g1', 'c1', ?, ?, ?, ?, ?, '2025-01-02T09:00:00.000Z')`,
    );
    insert.run('d1', '2025-01-02', 1, '["a","b"]', 'sent', 'm-1');
    insert.run('d2', '2025-01-02', 2, '["c"]', 'sent', 'm-2');
    insert.run('d3', '2025-01-03', 1, '["d"]', 'failed', null);
    old
      .prepare(`INSERT INTO state (key, value, updated_at) VALUES ('delivery-plan:d1', '{}', 'x')`)
      .run();
    old.close();

    const store = SqliteStore.open(file);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(store.digestPaperIdsForMessage(REF, 'm-2')).toEqual(['a', 'b', 'c']);
      expect(store.recentDigestRuns(REF, 5).map((r) => [r.digestDate, r.state])).toEqual([
        ['2025-01-02', 'posted'],
      ]);
      expect(store.openDigestRuns()).toEqual([]);
      // Migration 5 lists the papers of runs posted before it; a failed delivery's are not.
      expect(store.digestPostings('c', REF, 5)).toEqual([
        { channel: REF, digestDate: '2025-01-02' },
      ]);
      expect(store.digestPostings('d', REF, 5)).toEqual([]);
      expect(store.getState('delivery-plan:d1')).toBeNull();
    } finally {
      store.close();
    }
  });
});
