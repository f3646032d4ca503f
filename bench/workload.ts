import { createHash } from 'node:crypto';
import type { NewEvent } from '@salesledger/domain/event';

/** What every contestant is asked to do; read from the environment by the orchestrator. */
export interface BenchConfig {
  /** Events written by the concurrent single-event append workload (over all rounds). */
  readonly singleEvents: number;
  /** Concurrent writers of the single-event workload, each on its own streams. */
  readonly writers: number;
  /** Events written by the batched append workload (over all rounds). */
  readonly batchEvents: number;
  readonly batchSize: number;
  /** Concurrent writers of the batched workload. */
  readonly batchWriters: number;
  /** Each append workload is split into this many rounds, the contestants taking turns. */
  readonly rounds: number;
  /** Events written (single and batched) before anything is measured. */
  readonly warmupEvents: number;
  readonly readPageSize: number;
  /** Measured catch-up passes over the whole log, the contestants taking turns. */
  readonly readPasses: number;
  /** Size of each contestant's connection pool. */
  readonly poolSize: number;
}

export type Contestant = 'salesledger' | 'unsealed' | 'emmett' | 'raw';

/** A timed step: how many events, in how long. */
export interface Measurement {
  readonly events: number;
  readonly seconds: number;
}

export interface ContestantResult {
  readonly contestant: Contestant;
  /** One measurement per round of each workload, or per pass of the catch-up read. */
  readonly single: Measurement[];
  readonly batch: Measurement[];
  readonly reads: Measurement[];
  /** Events in the log when it was read: warm-up plus both append workloads. */
  written: number;
  /** Events the contestant's catch-up read returned in its unmeasured first pass. */
  seen: number;
}

/**
 * One event as every contestant receives it. `rawHash` stands in for the hash column in the raw
 * INSERT (our adapter computes its own chain hash, Emmett has none).
 */
export interface BenchEvent {
  readonly event: NewEvent;
  readonly rawHash: Buffer;
}

/** mulberry32: a tiny seeded PRNG, so every contestant (in its own process) writes identical rows. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const SKUS = ['CRM-SEAT-PRO', 'CRM-SEAT-STD', 'ONBOARD-PKG', 'SUPPORT-PLUS', 'API-CALLS-1M', 'DATA-EXPORT'];
const REPS = ['rep-amelie', 'rep-bruno', 'rep-chidi', 'rep-dana', 'rep-emre', 'rep-farah'];
const BASE_TIME = Date.parse('2026-03-02T09:30:00.000Z');

/**
 * An OrderPlaced with three lines: about 300 bytes of data JSON and 190 of metadata, the shape of
 * the events our sales services write.
 */
export function orderPlaced(random: () => number, index: number): BenchEvent {
  const lines = Array.from({ length: 3 }, () => {
    const quantity = 1 + Math.floor(random() * 20);
    const unitPrice = Math.round(500 + random() * 99_500) / 100;
    return { sku: SKUS[Math.floor(random() * SKUS.length)] as string, quantity, unitPrice };
  });
  const total = Math.round(lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0) * 100) / 100;
  const rep = REPS[Math.floor(random() * REPS.length)] as string;
  const event: NewEvent = {
    eventId: uuid(random),
    type: 'OrderPlaced',
    data: {
      orderId: uuid(random),
      customerId: `cust-${100_000 + Math.floor(random() * 900_000)}`,
      repId: rep,
      currency: 'EUR',
      lines,
      total,
      channel: 'direct',
    },
    metadata: {
      actor: { userId: rep, role: 'rep' },
      correlationId: uuid(random),
      causationId: uuid(random),
      recordedAt: new Date(BASE_TIME + index * 7).toISOString(),
    },
  };
  return { event, rawHash: createHash('sha256').update(event.eventId).digest() };
}

/** Events `from`..`from + count - 1` of the run's deterministic sequence. */
export function makeEvents(seed: number, from: number, count: number): BenchEvent[] {
  const random = prng(seed + from);
  return Array.from({ length: count }, (_, i) => orderPlaced(random, from + i));
}

/**
 * Runs `tasks` tasks on `writers` concurrent loops that each take the next task number; returns
 * the elapsed seconds. `run(writer, task, nthOfWriter)` gets the writer's own running count, so each
 * writer can keep to its own streams.
 */
export async function concurrently(
  writers: number,
  tasks: number,
  run: (writer: number, task: number, nthOfWriter: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let nth = 0; ; nth++) {
        const task = next++;
        if (task >= tasks) return;
        await run(writer, task, nth);
      }
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export async function timed(work: () => Promise<number>): Promise<Measurement> {
  const started = process.hrtime.bigint();
  const events = await work();
  return { events, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** All steps as one: total events over total seconds. */
export function total(measurements: readonly Measurement[]): Measurement {
  return measurements.reduce((sum, m) => ({ events: sum.events + m.events, seconds: sum.seconds + m.seconds }), {
    events: 0,
    seconds: 0,
  });
}

export const rate = (m: Measurement): number => m.events / m.seconds;
