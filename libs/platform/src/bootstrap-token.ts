import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The admin token accepted from startup: SALESLEDGER_BOOTSTRAP_TOKEN, else (embedded mode only) one
 * generated on first start and kept in the data dir, so restarts keep working with the same token.
 */
export async function resolveBootstrapToken(
  configured: string | undefined,
  dataDir: string,
  embedded: boolean,
): Promise<{ token?: string; generated: boolean }> {
  if (configured) return { token: configured, generated: false };
  if (!embedded) return { generated: false };
  const file = join(dataDir, 'bootstrap-token');
  const stored = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (stored) return { token: stored, generated: false };
  const token = randomBytes(32).toString('base64url');
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return { token, generated: true };
}
