import type { Pool } from 'pg';
import { Observable, Subject } from 'rxjs';
import type { AlertView } from './alert-queries';
import { storedAlert } from './alert-projection';
import { alertView, type AlertScope } from './alert-queries';
import { READ_MODEL } from '@salesledger/postgres/schemas';

export type AlertChange = 'raised' | 'acknowledged' | 'resolved';

export interface AlertFeedItem {
  readonly change: AlertChange;
  readonly alert: AlertView;
}

const changeOf = (status: string): AlertChange =>
  status === 'open' ? 'raised' : status === 'acknowledged' ? 'acknowledged' : 'resolved';

/**
 * The alerts whose status changed, as the read model records them: raised, acknowledged, resolved.
 *
 * It watches the alerts table rather than the worker, so it is right in every mode: in embedded
 * mode one process raises, projects and serves; in split mode the alert worker and the projector
 * are other processes, and the API only shares the read model with them. One poll per process
 * (every `intervalMs`, only while someone listens) reads the rows whose `position` (the last event
 * applied to the alert) moved past the last one seen, and reports those whose status differs from
 * what it last knew: an escalation or a delivery moves the position but is not news here.
 */
export class AlertFeed {
  private readonly changes = new Subject<AlertFeedItem>();
  private listeners = 0;
  private timer: NodeJS.Timeout | undefined;
  private started: Promise<void> | undefined;
  private lastPosition = 0;
  private readonly known = new Map<string, string>();
  private polling = false;

  constructor(
    private readonly pool: Pool,
    private readonly intervalMs = 1000,
    private readonly schema = READ_MODEL,
  ) {}

  /** The changes within `scope` (an empty scope is everything) from now on. */
  watch(scope: AlertScope): Observable<AlertFeedItem> {
    return new Observable<AlertFeedItem>((subscriber) => {
      const subscription = this.changes.subscribe({
        next: (item) => {
          if (scope.teamId !== undefined && item.alert.teamId !== scope.teamId) return;
          if (scope.repId !== undefined && item.alert.repId !== scope.repId) return;
          subscriber.next(item);
        },
        complete: () => subscriber.complete(),
      });
      this.listeners += 1;
      this.start().catch((error: unknown) => subscriber.error(error));
      return () => {
        subscription.unsubscribe();
        this.listeners -= 1;
        if (this.listeners === 0) this.stop();
      };
    });
  }

  /** Polls once now (tests and shutdown use it); the timer calls it otherwise. */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const { rows } = await this.pool.query(
        `SELECT * FROM ${this.schema}.alerts WHERE position > $1 ORDER BY position, alert_id`,
        [this.lastPosition],
      );
      for (const row of rows) {
        const alert = storedAlert(row);
        this.lastPosition = Math.max(this.lastPosition, alert.position);
        if (this.known.get(alert.alert_id) === alert.status) continue;
        if (alert.status === 'resolved') this.known.delete(alert.alert_id);
        else this.known.set(alert.alert_id, alert.status);
        this.changes.next({ change: changeOf(alert.status), alert: alertView(alert, []) });
      }
    } finally {
      this.polling = false;
    }
  }

  /**
   * Nest calls this as the app closes: every open stream ends and the poll stops, even for streams
   * whose clients left a moment ago but whose sockets have not told the server yet.
   */
  onModuleDestroy(): void {
    this.changes.complete();
    this.stop();
  }

  private start(): Promise<void> {
    this.started ??= this.baseline().then(() => {
      if (this.listeners > 0 && !this.timer)
        this.timer = setInterval(() => void this.poll().catch(() => undefined), this.intervalMs);
    });
    return this.started;
  }

  /** What is already there is not news: remember where the table stands and who is not resolved. */
  private async baseline(): Promise<void> {
    // One statement, so one snapshot: an alert raised meanwhile is either in both or after both.
    const { rows } = await this.pool.query<{ top: string; alert_id: string | null; status: string | null }>(
      `SELECT t.top, a.alert_id, a.status
       FROM (SELECT COALESCE(MAX(position), 0) AS top FROM ${this.schema}.alerts) t
       LEFT JOIN ${this.schema}.alerts a ON a.status <> 'resolved'`,
    );
    this.known.clear();
    for (const row of rows) if (row.alert_id && row.status) this.known.set(row.alert_id, row.status);
    this.lastPosition = Number(rows[0]?.top ?? 0);
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.started = undefined;
  }
}
