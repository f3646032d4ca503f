import { AuditVerifier, type StreamHead, type TamperFinding } from '@salesledger/domain/audit-verification';
import type { RecordedEvent } from '@salesledger/domain/event';
import type { EventStore } from '@salesledger/domain/event-store.port';

export interface AuditReport {
  readonly events: number;
  readonly streams: number;
  readonly findings: TamperFinding[];
}

/** Walks the whole log once; `heads` (where the store keeps them) also reveal a removed last event. */
export async function auditEventStore(
  store: EventStore,
  heads?: AsyncIterable<StreamHead>,
  onProgress?: (events: number) => void,
): Promise<AuditReport> {
  const verifier = new AuditVerifier();
  let checkpoint: string | null = null;
  let read = 0;
  for (;;) {
    const page: RecordedEvent[] = await store.readAll(checkpoint, 5000);
    for (const event of page) verifier.check(event);
    read += page.length;
    onProgress?.(read);
    const last = page.at(-1);
    if (!last) break;
    checkpoint = last.checkpoint;
  }
  if (heads) for await (const head of heads) verifier.checkHead(head);
  return verifier.findings();
}
