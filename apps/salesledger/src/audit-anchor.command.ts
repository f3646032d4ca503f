import { writeFile } from 'node:fs/promises';
import { signAnchor } from '@salesledger/domain/audit-anchor';
import { loadAuditKey } from '@salesledger/platform/audit-key';
import { openFromEnvironment } from '@salesledger/platform/service';

/** Prints (and with --out writes) a signed statement of where the sealed log stands now. */
export async function auditAnchor(options: { out?: string }): Promise<void> {
  const { runtime } = await openFromEnvironment('audit');
  try {
    const log = runtime.sealedLog;
    if (!log) throw new Error('this event store keeps no chain over the whole log, so there is nothing to anchor');
    const key = await loadAuditKey(runtime.config.dataDir);
    await log.sealAll();
    const text = `${JSON.stringify(signAnchor(await log.head(), new Date().toISOString(), key.privateKey), null, 2)}\n`;
    if (options.out) await writeFile(options.out, text, { flag: 'wx' });
    process.stdout.write(text);
  } finally {
    await runtime.close();
  }
}
