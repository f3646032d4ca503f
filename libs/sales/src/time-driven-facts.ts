import type { Pool } from 'pg';
import type { Clock } from '@salesledger/domain/clock.port';
import { handleCommand, type CommandContext } from '@salesledger/domain/command-handler';
import { COMPANY_SETTINGS_STREAM, companySettingsDecider } from '@salesledger/domain/company/company-settings.decider';
import { customerDecider } from '@salesledger/domain/customers/customer.decider';
import type { EventStore } from '@salesledger/domain/event-store.port';
import { weeklyPapersDecider, type Paper, type PapersDue } from '@salesledger/domain/plans/weekly-plan.decider';
import { customerRequestDecider } from '@salesledger/domain/requests/customer-request.decider';
import { mondayAfter } from '@salesledger/domain/periods';
import { periodsOf } from '@salesledger/domain/scorecards/grains';
import { streams } from '@salesledger/domain/streams';
import { READ_MODEL } from '@salesledger/postgres/schemas';
import { load } from './shared/load';

const DAY = 86_400_000;

/**
 * Facts that time alone makes true, appended as events so the projections stay a function of the
 * log: a customer with no order for `churnAfterDays` lapses (lost on the day the threshold passed),
 * a weekly paper not in by its due time is overdue, a request unanswered when its SLA closes missed
 * it. Candidates come from the read model; each decider refuses what is no longer true, so a run
 * that races a late order or answer, or repeats, appends nothing wrong.
 */
export class TimeDrivenFacts {
  constructor(
    private readonly store: EventStore,
    private readonly readModel: Pool,
    private readonly clock: Clock,
  ) {}

  async run(): Promise<void> {
    const now = this.clock.now();
    // Thresholds are company settings (events), read at every run so a change applies at the next.
    const settings = await load(this.store, COMPANY_SETTINGS_STREAM, companySettingsDecider);
    await this.lapse(now, settings.alerts.churnAfterDays);
    await this.overduePapers(now, settings.papersDue);
    await this.missedSlas(now);
  }

  private context(now: Date, commandId: string): CommandContext {
    return { commandId, actor: { userId: 'scheduler', role: 'system' }, correlationId: commandId, now };
  }

  private async lapse(now: Date, churnAfterDays: number): Promise<void> {
    const { rows } = await this.readModel.query(
      `SELECT o.customer_id, max(o.placed_at) AS last_order_at
       FROM ${READ_MODEL}.order_versions o
       WHERE o.superseded_at IS NULL AND NOT o.cancelled
         AND NOT EXISTS (SELECT 1 FROM ${READ_MODEL}.customer_losses l WHERE l.customer_id = o.customer_id)
       GROUP BY o.customer_id HAVING max(o.placed_at) <= $1`,
      [new Date(now.getTime() - churnAfterDays * DAY)],
    );
    for (const row of rows) {
      const lastOrderAt = (row.last_order_at as Date).toISOString();
      const lapsedOn = new Date(Date.parse(lastOrderAt) + churnAfterDays * DAY).toISOString().slice(0, 10);
      const command = { kind: 'lapse' as const, lastOrderAt, churnAfterDays: churnAfterDays, lapsedOn };
      const id = `lapse/${row.customer_id}/${lastOrderAt}`;
      await handleCommand(
        this.store,
        streams.customer(row.customer_id),
        customerDecider,
        command,
        this.context(now, id),
      );
    }
  }

  /** Every week after the one each rep was hired in, until they left; papers neither submitted nor marked. */
  private async overduePapers(now: Date, papersDue: PapersDue): Promise<void> {
    const { rows: reps } = await this.readModel.query(`SELECT rep_id, hired_on, left_on FROM ${READ_MODEL}.reps`);
    const { rows: done } = await this.readModel.query(`SELECT rep_id, week, kind FROM ${READ_MODEL}.papers`);
    const known = new Set(done.map((row) => `${row.rep_id}|${row.week}|${row.kind}`));
    for (const rep of reps) {
      const last =
        rep.left_on && rep.left_on < now.toISOString().slice(0, 10) ? Date.parse(rep.left_on) : now.getTime();
      for (let day = mondayAfter(rep.hired_on).toMillis(); day <= last; day += 7 * DAY) {
        const week = (
          periodsOf(new Date(day).toISOString().slice(0, 10)).find((p) => p.grain === 'week') as { period: string }
        ).period;
        for (const paper of ['plan', 'report'] as Paper[]) {
          if (known.has(`${rep.rep_id}|${week}|${paper}`)) continue;
          const command = {
            overdue: true as const,
            paper,
            repId: rep.rep_id,
            week,
            due: papersDue[paper],
            now: now.toISOString(),
          };
          const id = `overdue/${paper}/${rep.rep_id}/${week}`;
          await handleCommand(
            this.store,
            streams.weeklyPapers(rep.rep_id, week),
            weeklyPapersDecider,
            command,
            this.context(now, id),
          );
        }
      }
    }
  }

  private async missedSlas(now: Date): Promise<void> {
    const { rows } = await this.readModel.query(
      `SELECT request_id FROM ${READ_MODEL}.requests
       WHERE answered_at IS NULL AND sla_missed_recorded_at IS NULL AND due_at < $1`,
      [now],
    );
    for (const row of rows) {
      await handleCommand(
        this.store,
        streams.customerRequest(row.request_id),
        customerRequestDecider,
        { kind: 'mark-sla-missed', now: now.toISOString() },
        this.context(now, `sla-missed/${row.request_id}`),
      );
    }
  }
}
