import type { Database } from 'better-sqlite3';
import { PaperboyError } from '../errors.js';

/**
 * Numbered schema migrations. The schema version is SQLite's `PRAGMA user_version`;
 * migration N moves the file from version N-1 to N. Append only: never edit a
 * migration that has shipped, add the next one.
 */
/** A posted run's papers, one row each (migration 5's triggers, on insert and on update). */
const POSTED_ROWS_OF_NEW = `INSERT OR IGNORE INTO digest_posted_papers
      (paper_id, platform, workspace, channel, digest_date, run_id)
    SELECT DISTINCT value, NEW.platform, NEW.workspace, NEW.channel, NEW.digest_date, NEW.id
    FROM json_each(NEW.paper_ids);`;

export const MIGRATIONS: readonly string[] = [
  // 1: the first schema. The papers table is the agreed layout (briefs/schema.md).
  `
  CREATE TABLE papers (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    arxiv_id TEXT, version INTEGER,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    abstract TEXT NOT NULL,
    authors TEXT NOT NULL,
    author_count INTEGER,
    published_at TEXT,
    first_seen_at TEXT NOT NULL, updated_at TEXT NOT NULL, observed_at TEXT NOT NULL,
    sources TEXT NOT NULL, links TEXT NOT NULL, keywords TEXT NOT NULL, categories TEXT NOT NULL,
    upvotes INTEGER, comments INTEGER, comment TEXT,
    sample INTEGER NOT NULL DEFAULT 0,
    change_seq INTEGER NOT NULL
  );
  CREATE INDEX papers_change_seq ON papers(change_seq);
  CREATE INDEX papers_first_seen ON papers(first_seen_at);
  CREATE INDEX papers_title_key ON papers(title_key);
  -- Title-hash rows waiting for their arXiv id: every arXiv record probes this small index.
  CREATE INDEX papers_title_only ON papers(title_key) WHERE arxiv_id IS NULL;

  CREATE TABLE channels (
    platform TEXT NOT NULL, workspace TEXT NOT NULL, channel TEXT NOT NULL,
    schedule_time TEXT, schedule_time_zone TEXT, schedule_days TEXT, schedule_size INTEGER,
    schedule_set_at TEXT,
    paused INTEGER NOT NULL DEFAULT 0,
    last_digest_at TEXT,
    failure_reason TEXT, failure_at TEXT,
    options TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (platform, workspace, channel)
  ) WITHOUT ROWID;

  CREATE TABLE subscriptions (
    platform TEXT NOT NULL, workspace TEXT NOT NULL, channel TEXT NOT NULL,
    topic TEXT NOT NULL, added_by TEXT NOT NULL, added_at TEXT NOT NULL,
    PRIMARY KEY (platform, workspace, channel, topic),
    FOREIGN KEY (platform, workspace, channel)
      REFERENCES channels(platform, workspace, channel) ON DELETE CASCADE
  );

  CREATE TABLE deliveries (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    platform TEXT NOT NULL, workspace TEXT NOT NULL, channel TEXT NOT NULL,
    digest_date TEXT NOT NULL, part INTEGER NOT NULL,
    paper_ids TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    message_id TEXT, created_at TEXT NOT NULL, error TEXT,
    FOREIGN KEY (platform, workspace, channel)
      REFERENCES channels(platform, workspace, channel) ON DELETE CASCADE
  );
  CREATE INDEX deliveries_channel ON deliveries(platform, workspace, channel, digest_date);
  CREATE INDEX deliveries_pending ON deliveries(state) WHERE state = 'pending';

  CREATE TABLE source_runs (
    seq INTEGER PRIMARY KEY,
    source TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT NOT NULL,
    ok INTEGER NOT NULL, fetched INTEGER NOT NULL, added INTEGER NOT NULL,
    messages TEXT NOT NULL
  );
  CREATE INDEX source_runs_recent ON source_runs(source, started_at);

  CREATE TABLE state (
    key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // Digest runs: one row per digest (its window, chosen papers, state) with its message
  // parts; they replace the per-date deliveries ledger and the plans/attempts kept in
  // \`state\`. Papers get the day a feed first listed them (never moved afterwards).
  `
  CREATE TABLE digest_runs (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    platform TEXT NOT NULL, workspace TEXT NOT NULL, channel TEXT NOT NULL,
    digest_date TEXT NOT NULL,
    window_from TEXT NOT NULL, window_to TEXT NOT NULL,
    paper_ids TEXT NOT NULL,
    note TEXT,
    state TEXT NOT NULL CHECK (state IN
      ('planned', 'posting', 'posted', 'empty', 'retrying', 'abandoned')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT, last_error TEXT,
    created_at TEXT NOT NULL,
    FOREIGN KEY (platform, workspace, channel)
      REFERENCES channels(platform, workspace, channel) ON DELETE CASCADE
  );
  CREATE INDEX digest_runs_channel ON digest_runs(platform, workspace, channel, seq);
  CREATE INDEX digest_runs_open ON digest_runs(state)
    WHERE state IN ('planned', 'posting', 'retrying');

  CREATE TABLE digest_parts (
    delivery_id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES digest_runs(id) ON DELETE CASCADE,
    part INTEGER NOT NULL,
    plan TEXT NOT NULL,
    message_id TEXT,
    UNIQUE (run_id, part)
  ) WITHOUT ROWID;
  CREATE INDEX digest_parts_message ON digest_parts(message_id) WHERE message_id IS NOT NULL;

  -- Sent deliveries become posted runs (one per channel and date), so questions asked in
  -- an old digest's thread still find its papers; unsent ones are dropped.
  INSERT INTO digest_runs (id, platform, workspace, channel, digest_date, window_from, window_to,
    paper_ids, state, created_at)
  SELECT 'legacy:' || min(d.id), d.platform, d.workspace, d.channel, d.digest_date,
    min(d.created_at), min(d.created_at),
    (SELECT json_group_array(j.value) FROM deliveries e, json_each(e.paper_ids) j
      WHERE e.platform = d.platform AND e.workspace = d.workspace AND e.channel = d.channel
        AND e.digest_date = d.digest_date AND e.state = 'sent'),
    'posted', min(d.created_at)
  FROM deliveries d WHERE d.state = 'sent'
  GROUP BY d.platform, d.workspace, d.channel, d.digest_date;
  INSERT INTO digest_parts (delivery_id, run_id, part, plan, message_id)
  SELECT d.id, r.id, d.part, '{}', d.message_id
  FROM deliveries d JOIN digest_runs r ON r.platform = d.platform AND r.workspace = d.workspace
    AND r.channel = d.channel AND r.digest_date = d.digest_date AND r.id LIKE 'legacy:%'
  WHERE d.state = 'sent';
  DROP TABLE deliveries;
  DELETE FROM state WHERE key LIKE 'delivery-plan:%' OR key LIKE 'delivery-attempts:%';

  ALTER TABLE papers ADD COLUMN feed_date TEXT;
  -- Papers a listing feed brought: the earlier of first seen and observed is the best guess.
  UPDATE papers SET feed_date = substr(min(first_seen_at, observed_at), 1, 10)
  WHERE sources LIKE '%"huggingface"%' OR sources LIKE '%"arxiv-rss"%' OR sources LIKE '%"hf-page"%';
  `,
  // Feed text as written, before HTML and LaTeX cleanup ({ title, abstract } JSON), kept only
  // for papers whose text the cleanup changed; title and abstract hold the cleaned text.
  `ALTER TABLE papers ADD COLUMN original_text TEXT;`,
  // 4: a claim with a lease on each digest run, so two processes on one file (or a rolling
  // restart) never post the same run; a dead process's claim lapses when its lease ends.
  `
  ALTER TABLE digest_runs ADD COLUMN claimed_by TEXT;
  ALTER TABLE digest_runs ADD COLUMN claim_until TEXT;
  `,
  // 5: the papers of posted digest runs, by paper and workspace: a link card's "Posted here on"
  // is one index lookup, not a read of every run of every channel. Triggers keep it (a run is
  // posted once and never changed after), so every way a run is written is covered.
  `
  CREATE TABLE digest_posted_papers (
    paper_id TEXT NOT NULL,
    platform TEXT NOT NULL, workspace TEXT NOT NULL, channel TEXT NOT NULL,
    digest_date TEXT NOT NULL,
    run_id TEXT NOT NULL REFERENCES digest_runs(id) ON DELETE CASCADE,
    PRIMARY KEY (paper_id, platform, workspace, channel, digest_date, run_id)
  ) WITHOUT ROWID;
  -- A run deleted (its channel forgotten) finds its rows without a scan.
  CREATE INDEX digest_posted_papers_run ON digest_posted_papers(run_id);
  CREATE TRIGGER digest_runs_posted_insert AFTER INSERT ON digest_runs
  WHEN NEW.state = 'posted' BEGIN
    ${POSTED_ROWS_OF_NEW}
  END;
  CREATE TRIGGER digest_runs_posted_update AFTER UPDATE OF state ON digest_runs
  WHEN NEW.state = 'posted' BEGIN
    ${POSTED_ROWS_OF_NEW}
  END;
  INSERT OR IGNORE INTO digest_posted_papers
    (paper_id, platform, workspace, channel, digest_date, run_id)
  SELECT DISTINCT j.value, r.platform, r.workspace, r.channel, r.digest_date, r.id
  FROM digest_runs r, json_each(r.paper_ids) j WHERE r.state = 'posted';
  `,
  // 6: papers by the day a feed listed them (\`latest\`): a bulk import of old papers, first seen
  // last, must not hide the day's listing. Partial: a bulk import (no feed date) never writes it.
  'CREATE INDEX papers_listed ON papers(feed_date) WHERE feed_date IS NOT NULL;',
  // 7: title lookups on the first 16 characters of the title key (TITLE_PREFIX). The whole
  // key (80 bytes on average) made it the costliest index to keep: a bulk import's commits
  // rewrote its pages (18% of the import's SQLite time); this one is a quarter of its size.
  `
  DROP INDEX papers_title_key;
  CREATE INDEX papers_title_prefix ON papers(substr(title_key, 1, 16));
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Refuses a file from a newer Paperboy; call before anything writes to it. */
export function assertKnownVersion(db: Database, file: string): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new PaperboyError(
      'STORE_TOO_NEW',
      `The database ${file} has schema version ${current}, but this Paperboy understands ` +
        `versions up to ${SCHEMA_VERSION}: it was written by a newer Paperboy. ` +
        'Upgrade Paperboy or point PAPERBOY_DATA_DIR at another folder; the file was not changed.',
    );
  }
  return current;
}

/** Brings the file up to SCHEMA_VERSION, each migration in its own transaction. */
export function migrate(db: Database, file: string): void {
  const current = assertKnownVersion(db, file);
  for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
    const sql = MIGRATIONS[version - 1] as string;
    // IMMEDIATE, and re-read inside: two processes opening an old file at once migrate it once.
    db.transaction(() => {
      if ((db.pragma('user_version', { simple: true }) as number) >= version) return;
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    }).immediate();
  }
}
