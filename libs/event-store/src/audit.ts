import { AuditVerifier, type StreamHead, type TamperFinding } from '@salesledger/domain/audit-verification';
import type { EventStore } from '@salesledger/domain/event-store.port';

export interface AuditReport {
  readonly events: number;
  readonly streams: number;
  readonly findings: TamperFinding[];
}

/** Walks the whole log once; `heads` (where the store keeps them) also reveal a removed last event. */
export async function auditEventStore(store: EventStore, heads?: AsyncIterable<StreamHead>): Promise<AuditReport> {
  const verifier = new AuditVerifier();
  for await (const page of store.pages(null, 5000)) for (const event of page) verifier.check(event);
  if (heads) for await (const head of heads) verifier.checkHead(head);
  return verifier.findings();
}
