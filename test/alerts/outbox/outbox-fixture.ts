import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { AlertDecision } from '@salesledger/domain/alerts/alert-rules.policy';
import { alertDecider, type AlertCommand } from '@salesledger/domain/alerts/alert.decider';
import { Clock } from '@salesledger/domain/clock.port';
import { handleCommand, type CommandContext } from '@salesledger/domain/command-handler';
import type { Decider, DomainEvent } from '@salesledger/domain/decider';
import type { JsonObject } from '@salesledger/domain/event';
import { repDecider } from '@salesledger/domain/organisation/rep.decider';
import {
  teamDecider,
  userDecider,
  type RepData,
  type TeamData,
  type UserData,
} from '@salesledger/domain/organisation/organisation.deciders';
import { streams } from '@salesledger/domain/streams';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { migrateAlertOutbox } from '@salesledger/alerts/outbox/migrate';
import { migrateOutbound, migrateReadModel } from '@salesledger/read-model/migrate';
import { OUTBOUND } from '@salesledger/postgres/schemas';
import { createDatabase, type PostgresServer } from '../../support/postgres-servers';

/** Time that moves only when the test says so. */
export class FakeClock extends Clock {
  constructor(private instant: number) {
    super();
  }

  now(): Date {
    return new Date(this.instant);
  }

  set(instant: Date | string): void {
    this.instant = new Date(instant).getTime();
  }

  advance(ms: number): void {
    this.instant += ms;
  }
}

export interface Outbox {
  readonly url: string;
  readonly store: PostgresEventStore;
  /** The read-model database, where `outbound` lives. */
  readonly pool: Pool;
  close(): Promise<void>;
}

/** A fresh database with the event store, the outbound schema and (for the digest) the read model. */
export async function openOutbox(server: PostgresServer): Promise<Outbox> {
  const database = await createDatabase(server);
  await migrateEventStore(database.url);
  await migrateOutbound(database.url);
  await migrateAlertOutbox(database.url);
  await migrateReadModel(database.url);
  const pool = new Pool({ connectionString: database.url, max: 10 });
  const storePool = new Pool({ connectionString: database.url, max: 10 });
  for (const p of [pool, storePool]) p.on('error', () => undefined); // dropping the database ends idle clients
  const store = new PostgresEventStore(storePool, { pollIntervalMs: 10 });
  return {
    url: database.url,
    store,
    pool,
    close: async () => {
      await store.close();
      await pool.end();
      await database.drop();
    },
  };
}

const context = (now: Date, commandId = randomUUID()): CommandContext => ({
  commandId,
  actor: { userId: 'test', role: 'admin' },
  correlationId: commandId,
  now,
});

async function run<C extends JsonObject, E extends DomainEvent, S>(
  store: PostgresEventStore,
  stream: string,
  decider: Decider<C, E, S>,
  command: C,
  now: Date,
) {
  await handleCommand(store, stream, decider, command, context(now));
}

export interface Organisation {
  readonly teams?: readonly TeamData[];
  readonly users?: readonly UserData[];
  readonly reps?: readonly RepData[];
}

export async function register(store: PostgresEventStore, org: Organisation, now = new Date()): Promise<void> {
  for (const team of org.teams ?? []) await run(store, streams.team(team.id), teamDecider, team, now);
  for (const user of org.users ?? []) await run(store, streams.user(user.id), userDecider, user, now);
  for (const rep of org.reps ?? [])
    await run(store, streams.rep(rep.id), repDecider, { kind: 'hire', ...rep } as never, now);
}

export function decision(overrides: Partial<AlertDecision> & Pick<AlertDecision, 'repId' | 'teamId'>): AlertDecision {
  return {
    rule: 'pace-below-expected',
    period: '2026-11',
    severity: 'critical',
    evidence: {
      summary: `Sold 1000.00 of 5000.00 expected: 20% of pace, below 70%.`,
      figures: { actual: '1000.00', expected: '5000.00', pace: 0.2, threshold: 0.7 },
      positions: [1],
    },
    ...overrides,
  };
}

export const alertStream = (d: AlertDecision) => streams.alert(d.rule, d.repId, d.period);

/** Raises an alert through the decider, as the worker does; returns its stream. */
export async function raise(store: PostgresEventStore, alertId: string, d: AlertDecision, now: Date) {
  const stream = alertStream(d);
  const command: AlertCommand = { kind: 'raise', alertId, decision: d, now: now.toISOString() };
  await run(store, stream, alertDecider, command as never, now);
  return stream;
}

export async function escalate(store: PostgresEventStore, stream: string, alertId: string, now: Date) {
  const command: AlertCommand = { kind: 'escalate', alertId, escalateAfterHours: 24, now: now.toISOString() };
  await run(store, stream, alertDecider, command as never, now);
}

export interface DeliveryRow {
  delivery_id: string;
  alert_id: string | null;
  alert_stream_id: string | null;
  channel: string;
  recipient: string;
  kind: string;
  message: any;
  status: string;
  attempt: number;
  next_attempt_at: Date;
  lease_until: Date | null;
  last_error: string | null;
  delivered_at: Date | null;
  recorded_at: Date | null;
}

export async function deliveryRows(pool: Pool): Promise<DeliveryRow[]> {
  const { rows } = await pool.query(`SELECT * FROM ${OUTBOUND}.alert_deliveries ORDER BY created_at, delivery_id`);
  return rows;
}

/** When the earliest pending delivery is due, or undefined when none is pending. */
export async function nextDue(pool: Pool): Promise<Date | undefined> {
  const { rows } = await pool.query(
    `SELECT min(greatest(next_attempt_at, coalesce(lease_until, next_attempt_at))) AS due
     FROM ${OUTBOUND}.alert_deliveries WHERE status = 'pending'`,
  );
  return rows[0].due ?? undefined;
}

/** Waits for a condition that other processes or loops make true. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
