import { AuditVerifier, type StreamHead, type TamperFinding } from '@salesledger/domain/audit-verification';
import type { EventStore } from '@salesledger/domain/event-store.port';
import { LogVerifier, type LogFinding, type LogMark, type SealedLog } from '@salesledger/domain/log-verification';

export interface AuditReport {
  readonly events: number;
  readonly streams: number;
  readonly findings: TamperFinding[];
  /** Entries of the whole log's chain checked; null where the store keeps no such chain (EventStoreDB). */
  readonly logEntries: number | null;
  readonly logFindings: LogFinding[];
}

export interface AuditSources {
  /** Stream heads (where the store keeps them) also reveal a removed last event. */
  readonly heads?: () => AsyncIterable<StreamHead>;
  /** The chain over the whole log reveals removed streams, reorders and a seal head set back. */
  readonly log?: SealedLog;
  /** A mark kept outside the database also reveals a cut tail and a full recomputation. */
  readonly anchor?: LogMark;
}

/** Walks every stream's chain, then the whole log's chain; memory grows with streams, not events. */
export async function auditEventStore(store: EventStore, sources: AuditSources = {}): Promise<AuditReport> {
  await sources.log?.sealAll();
  const verifier = new AuditVerifier();
  for await (const page of store.pages(null, 5000)) for (const event of page) verifier.check(event);
  if (sources.heads) for await (const head of sources.heads()) verifier.checkHead(head);
  const streams = verifier.findings();
  if (!sources.log) return { ...streams, logEntries: null, logFindings: [] };
  const log = new LogVerifier(sources.anchor);
  for await (const entry of sources.log.entries()) log.check(entry);
  const { entries, findings } = log.findings(await sources.log.head());
  return { ...streams, logEntries: entries, logFindings: findings };
}
