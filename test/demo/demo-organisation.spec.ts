import { Pool } from 'pg';
import { demoAnchor, seedDemoOrganisation } from '@salesledger/demo/demo-organisation';
import type { RecordedEvent } from '@salesledger/domain/event';
import { auditEventStore } from '@salesledger/event-store/audit';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { logEvents } from '../support/events';
import { createDatabase, postgresServers } from '../support/postgres-servers';

const NOW = new Date('2026-11-29T05:00:00Z');

describe.each(postgresServers())('the demo organisation on $name', (server) => {
  const opened: { store: PostgresEventStore; drop: () => Promise<void> }[] = [];
  const freshStore = async () => {
    const { url, drop } = await createDatabase(server);
    await migrateEventStore(url);
    const pool = new Pool({ connectionString: url, max: 20 });
    pool.on('error', () => undefined); // dropping the database at the end terminates idle clients
    const store = new PostgresEventStore(pool);
    opened.push({ store, drop });
    return store;
  };
  afterAll(async () => {
    for (const { store, drop } of opened) {
      await store.close();
      await drop();
    }
  });

  let full: RecordedEvent[];

  beforeAll(async () => {
    const store = await freshStore();
    await seedDemoOrganisation(store, (await demoAnchor(store, NOW)) as Date);
    full = await logEvents(store);
  }, 180_000);

  it('has a director, 3 teams of 10 reps, 500 customers and a year of their work', () => {
    const count = (type: string) => full.filter((e) => e.type === type).length;
    expect(full.filter((e) => e.type === 'UserRegistered' && e.data.role === 'director')).toHaveLength(1);
    expect(count('TeamCreated')).toBe(3);
    expect(count('RepHired')).toBe(30);
    expect(count('CustomerRegistered')).toBe(500);
    expect(count('TargetSet')).toBe(30 * 12);
    const months = (type: string, field: string) =>
      new Set(full.filter((e) => e.type === type).map((e) => String(e.data[field]).slice(0, 7)));
    expect(months('VisitLogged', 'occurredAt').size).toBe(12);
    expect(months('OrderPlaced', 'placedAt').size).toBe(12);
    for (const type of ['WeeklyPlanSubmitted', 'ReviewRecorded', 'CustomerRequestAnswered', 'OrderCancelled'])
      expect(count(type)).toBeGreaterThan(0);
  });

  it('follows the seasons: December targets above July ones', () => {
    const target = (month: string) => Number(full.find((e) => e.streamId === `target-rep-01-${month}`)?.data.amount);
    expect(target('2026-07')).toBeLessThan(target('2026-11'));
    expect(target('2025-12')).toBeGreaterThan(target('2026-07'));
  });

  it('spreads attainment across reps: a full month runs from under 60 % to over 120 % of target', () => {
    const month = '2026-10';
    const cancelled = new Set(full.filter((e) => e.type === 'OrderCancelled').map((e) => e.streamId));
    const attainment = (repId: string) => {
      const sold = full
        .filter((e) => e.type === 'OrderPlaced' && e.data.repId === repId && !cancelled.has(e.streamId))
        .filter((e) => String(e.data.placedAt).startsWith(month))
        .reduce((sum, e) => sum + Number(e.data.netAmount), 0);
      const target = full.filter((e) => e.streamId === `target-${repId}-${month}` && 'amount' in e.data).at(-1);
      return sold / Number(target?.data.amount);
    };
    const ratios = full.filter((e) => e.type === 'RepHired').map((e) => attainment(String(e.data.id)));
    expect(Math.min(...ratios)).toBeLessThan(0.6);
    expect(Math.max(...ratios)).toBeGreaterThan(1.2);
  });

  it("has revised targets with their history, and a manager's proposal waiting for the director", () => {
    const revisions = full.filter((e) => e.type === 'TargetRevised');
    expect(revisions.length).toBeGreaterThanOrEqual(10);
    const oneTarget = revisions.filter((e) => e.streamId === revisions[0]?.streamId);
    expect(oneTarget.map((e) => e.metadata.actor.role)).toEqual(['manager', 'director']);
    expect(oneTarget.every((e) => typeof e.data.reason === 'string' && e.data.previousAmount)).toBe(true);
    const proposed = full.filter((e) => e.type === 'TargetProposed');
    expect(proposed).toHaveLength(1);
    expect(proposed[0]?.data).toMatchObject({ month: '2026-12', proposedBy: expect.stringMatching(/^manager-/) });
    expect(full.find((e) => e.type === 'TargetApprovalPolicySet')?.data).toEqual({
      mode: 'above-threshold',
      threshold: '5000.00',
    });
  });

  it('passes audit verify', async () => {
    const store = opened[0]!.store;
    const report = await auditEventStore(store, { heads: () => store.streamHeads(), log: store.sealedLog() });
    expect([...report.findings, ...report.logFindings]).toEqual([]);
  });

  it('is seeded once; an interrupted seeding resumes to the same log', async () => {
    const store = await freshStore();
    const stop = new AbortController();
    const seeding = seedDemoOrganisation(store, NOW, stop.signal);
    setTimeout(() => stop.abort(), 1500);
    await seeding;
    const resumeFrom = await demoAnchor(store, new Date('2027-01-01T00:00:00Z'));
    expect(resumeFrom).toEqual(NOW);
    await seedDemoOrganisation(store, resumeFrom as Date);
    expect(await demoAnchor(store, NOW)).toBeUndefined();
    const resumed = await logEvents(store);
    expect(new Set(resumed.map((e) => e.eventId))).toEqual(new Set(full.map((e) => e.eventId)));
    // Seeding 25,000 events takes about 15 s on a quiet 2-core machine; a busy one can take four times that.
  }, 180_000);
});
