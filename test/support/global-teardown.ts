import { rm } from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
  await globalThis.embeddedPostgres?.stop();
  if (process.env.TEST_EMBEDDED_DATA_DIR)
    await rm(process.env.TEST_EMBEDDED_DATA_DIR, { recursive: true, force: true });
}
