import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where the key came from, so a command can say which key signed or checked an anchor. */
export interface AuditKey {
  readonly privateKey: KeyObject;
  readonly source: string;
}

/**
 * The Ed25519 key that signs audit anchors: SALESLEDGER_AUDIT_KEY (PEM, PKCS#8), else the PEM file
 * SALESLEDGER_AUDIT_KEY_FILE names, else `<data dir>/audit-key.pem`, made (mode 0600) on first use.
 * Every process signing or checking anchors of one log must be given the same key.
 */
export async function loadAuditKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<AuditKey> {
  const inline = env['SALESLEDGER_AUDIT_KEY'];
  if (inline) return { privateKey: ed25519(inline, 'SALESLEDGER_AUDIT_KEY'), source: 'SALESLEDGER_AUDIT_KEY' };
  const file = env['SALESLEDGER_AUDIT_KEY_FILE'];
  if (file) return { privateKey: ed25519(await readFile(file, 'utf8'), file), source: file };
  const own = join(dataDir, 'audit-key.pem');
  try {
    return { privateKey: ed25519(await readFile(own, 'utf8'), own), source: own };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  await mkdir(dataDir, { recursive: true });
  // 'wx': two processes starting together must not overwrite each other's new key.
  await writeFile(own, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    },
  );
  return { privateKey: ed25519(await readFile(own, 'utf8'), own), source: own };
}

function ed25519(pem: string, source: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${source}: not an Ed25519 private key`);
  return key;
}
