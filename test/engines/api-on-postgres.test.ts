// `claimlens serve --engine postgres` passes the same API tests as on DuckDB: test/server/api.test.ts
// run again with its warehouse built on a private PostgreSQL server (test/server/fixture.ts serves
// the server when CLAIMLENS_API_ENGINE=postgres). Only the test that replaces the DuckDB file by
// rename is skipped there; the server's equivalent is in api-parity.test.ts.
import { afterAll, describe, it } from 'vitest';
import { postgresAvailable } from '../helpers/postgres.ts';
import { stopTestPostgres } from '../server/fixture.ts';

if (postgresAvailable()) {
  process.env.CLAIMLENS_API_ENGINE = 'postgres';
  // Registered before the API tests' own hooks, so it runs after them (after-hooks run last-in first-out).
  afterAll(async () => {
    delete process.env.CLAIMLENS_API_ENGINE;
    await stopTestPostgres();
  });
  await import('../server/api.test.ts');
} else {
  describe.skip('the API tests on PostgreSQL', () => {
    it('need Debian postgresql (scripts/ensure-system-deps.sh installs it)', () => undefined);
  });
}
