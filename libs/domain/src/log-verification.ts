import { logChainHash } from './event-hash';

/** One entry of the sealed log, with the hash of the event it names (null when that event is gone). */
export interface LogEntry {
  readonly seq: number;
  readonly position: number;
  readonly chain: string;
  readonly eventHash: string | null;
}

/** Where the store says the sealed log ends: kept apart from the entries so a cut tail shows. */
export interface LogHead {
  readonly seq: number;
  readonly chain: string | null;
}

/** A position and hash of the log vouched for outside the database (a signed anchor). */
export interface LogMark {
  readonly seq: number;
  readonly chain: string | null;
}

export type LogFindingKind = 'removed' | 'altered' | 'truncated' | 'rewritten';

export interface LogFinding {
  readonly kind: LogFindingKind;
  readonly seq: number;
  readonly detail: string;
}

/** The sealed log as a store keeps it, for verification (PostgreSQL only). */
export interface SealedLog {
  /** Seals every committed event, so verification covers the whole log. */
  sealAll(): Promise<void>;
  /** Entries after `after` (default: all), in seq order. */
  entries(after?: number): AsyncIterable<LogEntry>;
  head(): Promise<LogHead>;
}

/**
 * Walks the whole log's chain in seq order. Each link is checked against the stored link before
 * it, so one edit is reported where it is, not at every later entry. Without an anchor, a log cut
 * at its end with the seal head moved back, or fully recomputed, still verifies: only a mark kept
 * elsewhere reveals those.
 */
export class LogVerifier {
  private readonly found: LogFinding[] = [];
  private last: LogMark;

  /** `from`: resume after entries already verified (the worker checks the log as it grows). */
  constructor(
    private readonly anchor?: LogMark,
    from: LogMark = { seq: 0, chain: null },
  ) {
    this.last = from;
  }

  /** The last entry checked. */
  get mark(): LogMark {
    return this.last;
  }

  /** What was found so far, without comparing with a head (which may have moved on meanwhile). */
  get problems(): readonly LogFinding[] {
    return this.found;
  }

  check(entry: LogEntry): void {
    if (entry.seq > this.last.seq + 1) {
      const range = `${this.last.seq + 1}${entry.seq - 1 > this.last.seq + 1 ? `..${entry.seq - 1}` : ''}`;
      this.report('removed', this.last.seq + 1, `log entries ${range} are missing`);
    }
    if (entry.eventHash === null) {
      this.report('removed', entry.seq, `the event at position ${entry.position} is missing`);
    } else {
      const previous = this.last.chain === null ? null : Buffer.from(this.last.chain, 'hex');
      const link = logChainHash(previous, entry.seq, Buffer.from(entry.eventHash, 'hex')).toString('hex');
      if (link !== entry.chain)
        this.report('altered', entry.seq, `the log chain breaks at position ${entry.position} (event or link edited)`);
    }
    if (this.anchor && entry.seq === this.anchor.seq && entry.chain !== this.anchor.chain)
      this.report('rewritten', entry.seq, 'the log differs from the anchor here: it was recomputed after the anchor');
    this.last = { seq: entry.seq, chain: entry.chain };
  }

  /** Call once every entry has been checked. */
  findings(head: LogHead): { entries: number; findings: LogFinding[] } {
    if (head.seq !== this.last.seq || head.chain !== this.last.chain) {
      this.report('removed', this.last.seq + 1, `the log ends at ${this.last.seq}, its seal head says ${head.seq}`);
    }
    if (this.anchor && this.last.seq < this.anchor.seq) {
      this.report('truncated', this.last.seq + 1, `the log ends at ${this.last.seq}, the anchor at ${this.anchor.seq}`);
    }
    return { entries: this.last.seq, findings: this.found };
  }

  private report(kind: LogFindingKind, seq: number, detail: string): void {
    this.found.push({ kind, seq, detail });
  }
}
