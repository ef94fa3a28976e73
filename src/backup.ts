import path from 'node:path';
import { loadConfig } from './config.js';
import { isPaperboyError, PaperboyError } from './core/errors.js';
import { describeDatabase } from './core/store/postgres/failures.js';
import { storeFile } from './core/store/sqlite-store.js';
import { backupStore } from './ops/backup.js';

const USAGE = `Usage: npm run backup -- <file>

Copies the store under PAPERBOY_DATA_DIR to <file> with SQLite's online backup API.
Safe while the bot runs; the copy is checked with integrity_check before it gets its name.`;

const args = process.argv.slice(2);
if (args.length !== 1 || args[0] === '--help' || args[0] === '-h' || !args[0]) {
  process.stderr.write(`${USAGE}\n`);
  process.exitCode = args[0] === '--help' || args[0] === '-h' ? 0 : 1;
} else {
  try {
    const config = loadConfig();
    if (config.databaseUrl)
      throw new PaperboyError(
        'CONFIG_INVALID',
        `PAPERBOY_DATABASE_URL is set: npm run backup copies only the SQLite store; back up the PostgreSQL database ${describeDatabase(config.databaseUrl)} with pg_dump (e.g. pg_dump --format=custom).`,
      );
    const target = path.resolve(args[0]);
    const result = await backupStore({ source: storeFile(config.dataDir), target });
    process.stdout.write(
      `Backed up ${result.papers.toLocaleString('en-US')} papers (${result.pages} pages) to ${result.file}; integrity_check ok.\n`,
    );
  } catch (error) {
    // Expected failures carry a sentence for people; anything else says what broke.
    process.stderr.write(
      `${isPaperboyError(error) ? error.message : `Backup failed: ${(error as Error).message}`}\n`,
    );
    process.exitCode = 1;
  }
}
