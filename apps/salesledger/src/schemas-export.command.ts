import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ENVELOPE_SCHEMA, INTEGRATION_EVENT_SCHEMAS } from '@salesledger/contracts/integration-event-schemas';

/** One file per event type, named as the type (the schema's `$id` ends the same way), plus the envelope. */
export async function exportSchemas(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const files = Object.entries({ ...INTEGRATION_EVENT_SCHEMAS, envelope: ENVELOPE_SCHEMA });
  for (const [name, schema] of files)
    await writeFile(join(dir, `${name}.json`), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`${files.length - 1} event schemas and envelope.json written to ${dir}`);
}
