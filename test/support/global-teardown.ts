import { rm } from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
  await globalThis.embeddedPostgres?.stop();
  if (process.env.TEST_EMBEDDED_DATA_DIR)
    await rm(process.env.TEST_EMBEDDED_DATA_DIR, { recursive: true, force: true });
  // On two cores Jest runs every spec in this process, so a spec that leaves a timer or socket
  // behind keeps it alive; name what is left so the leak can be found (forceExit ends the run).
  const left = process.getActiveResourcesInfo().filter((kind) => kind !== 'TTYWrap' && kind !== 'PipeWrap');
  if (left.length > 0) console.warn(`resources still open after the specs: ${left.join(', ')}`);
}
