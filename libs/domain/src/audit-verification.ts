import type { RecordedEvent } from './event';
import { chainHash, eventDigest } from './event-hash';

export type TamperKind = 'altered' | 'removed' | 'reordered';

export interface TamperFinding {
  readonly kind: TamperKind;
  readonly streamId: string;
  readonly revision: number;
  readonly eventId?: string;
  readonly detail: string;
}

/** What the store says a stream ends with, kept apart from the events so a removed last event shows. */
export interface StreamHead {
  readonly streamId: string;
  readonly revision: number;
  readonly hash: string;
}

interface StreamState {
  /** Highest revision seen. */
  revision: number;
  /** Chain index and stored hash of the stream's last event in commit order. */
  index: number;
  hash: string | null;
  /** Revisions skipped so far, with the event that jumped over them. */
  readonly missing: Map<number, { eventId: string; revision: number }>;
}

/**
 * Checks every stream while reading the log once in global (commit) order; memory grows with the
 * number of streams, not events. Two checks per event: its revision must be the next one, and its
 * hash must chain to the previous event committed to the stream. A renumbered event still chains
 * (reported as reordered); an edited one does not (altered); a deleted one leaves a gap (removed).
 */
export class AuditVerifier {
  private readonly streams = new Map<string, StreamState>();
  private readonly found: TamperFinding[] = [];
  private readonly reportedJumpers = new Set<string>();
  private checkedEvents = 0;

  check(event: RecordedEvent): void {
    this.checkedEvents++;
    const state = this.stream(event.streamId);
    const expected = state.revision + 1;
    const chained = chainHash(hashBytes(state.hash), eventDigest(event.streamId, event), state.index + 1);
    const intact = chained.toString('hex') === event.hash;
    if (event.revision < expected) this.reorderedBack(event, state);
    else if (event.revision > expected) this.skippedAhead(event, state, expected);
    if (!intact && event.revision <= expected) {
      this.report('altered', event, 'content or hash does not follow from the previous event of the stream');
    }
    // Past a gap that breaks the chain, the revision is the best guess of the event's chain index.
    state.index = !intact && event.revision > expected ? event.revision : state.index + 1;
    state.hash = event.hash;
    state.revision = Math.max(state.revision, event.revision);
  }

  private reorderedBack(event: RecordedEvent, state: StreamState): void {
    const jumper = state.missing.get(event.revision);
    state.missing.delete(event.revision);
    if (!jumper) return this.report('reordered', event, 'revision repeated');
    this.report('reordered', event, `committed after revision ${jumper.revision} (event ${jumper.eventId})`);
    if (this.reportedJumpers.has(jumper.eventId)) return;
    this.reportedJumpers.add(jumper.eventId);
    this.found.push({
      kind: 'reordered',
      streamId: event.streamId,
      ...jumper,
      detail: 'committed before an earlier revision',
    });
  }

  private skippedAhead(event: RecordedEvent, state: StreamState, expected: number): void {
    const jumper = { eventId: event.eventId, revision: event.revision };
    for (let revision = expected; revision < event.revision; revision++) state.missing.set(revision, jumper);
  }

  checkHead(head: StreamHead): void {
    const state = this.stream(head.streamId);
    for (let revision = state.revision + 1; revision <= head.revision; revision++) {
      this.found.push({
        kind: 'removed',
        streamId: head.streamId,
        revision,
        detail: 'missing at the end of the stream',
      });
    }
    if (head.revision === state.revision && head.hash !== state.hash) {
      this.found.push({
        kind: 'altered',
        streamId: head.streamId,
        revision: head.revision,
        detail: 'last event does not match the recorded stream head',
      });
    }
  }

  /** Call once every event (and head) has been checked. */
  findings(): { events: number; streams: number; findings: TamperFinding[] } {
    const removed = [...this.streams].flatMap(([streamId, state]) =>
      [...state.missing.keys()].map((revision) => ({
        kind: 'removed' as const,
        streamId,
        revision,
        detail: 'missing from the stream',
      })),
    );
    return { events: this.checkedEvents, streams: this.streams.size, findings: [...this.found, ...removed] };
  }

  private stream(streamId: string): StreamState {
    let state = this.streams.get(streamId);
    if (!state) {
      state = { revision: -1, index: -1, hash: null, missing: new Map() };
      this.streams.set(streamId, state);
    }
    return state;
  }

  private report(kind: TamperKind, event: RecordedEvent, detail: string): void {
    this.found.push({ kind, streamId: event.streamId, revision: event.revision, eventId: event.eventId, detail });
  }
}

const hashBytes = (hex: string | null): Buffer | null => (hex === null ? null : Buffer.from(hex, 'hex'));
