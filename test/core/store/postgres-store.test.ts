import { afterAll, beforeAll } from 'vitest';
import { PostgresStore } from '../../../src/core/store/postgres/postgres-store.js';
import { startPostgres, type TestPostgres } from '../../support/postgres.js';
import { describeStore } from './store-conformance.js';

let server: TestPostgres;
let url: string;

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('conformance');
  // Migrate once; each test then starts from empty tables.
  await (await PostgresStore.open(url)).close();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describeStore('PostgresStore', async () => {
  await server.truncate(url);
  return PostgresStore.open(url);
});
