import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@salesledger/platform/embedded-postgres.server';

declare global {
  var embeddedPostgres: EmbeddedPostgres | undefined;
}

/** One embedded server for the whole run; each spec creates its own database on it. */
export default async function globalSetup(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'salesledger-test-'));
  await chmod(dataDir, 0o755);
  globalThis.embeddedPostgres = await startEmbeddedPostgres(dataDir);
  process.env.TEST_EMBEDDED_POSTGRES_URL = globalThis.embeddedPostgres.url;
  process.env.TEST_EMBEDDED_DATA_DIR = dataDir;
}
