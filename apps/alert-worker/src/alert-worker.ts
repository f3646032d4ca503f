import type { Logger } from 'pino';
import { AlertEvaluator } from '@salesledger/alerts/alert-evaluator';
import { startAlertDelivery } from './alert-delivery';
import { SystemClock, type Clock } from '@salesledger/domain/clock.port';
import type { Runtime } from '@salesledger/platform/runtime';
import { schedule } from '@salesledger/platform/schedule';
import type { Stop } from '@salesledger/platform/service';
import { READ_MODEL } from '@salesledger/postgres/schemas';
import { startAuditWatch } from './audit-watch';
import { freshWithin, KafkaLagUnknown } from '@salesledger/platform/projection-lag';

/** How far (in recorded time, and with Kafka on, behind the relay's sends) the read model may trail the log for an evaluation to go ahead. */
const MAX_LAG_SECONDS = 30;

export interface AlertWorkerOptions {
  readonly clock?: Clock;
  /** Time alone can make a rep lag (a working day passes without a visit): evaluate this often regardless. */
  readonly everyMs?: number;
  /** How often to look for read-model changes, which trigger an evaluation of the reps they touch. */
  readonly changeCheckMs?: number;
}

/**
 * Raises lag alerts to managers: evaluates every rule on a schedule and whenever the read model
 * changes, and reconciles the open alerts with what the rules say. With Kafka on, it follows the
 * scorecards topic as a consumer group instead, evaluating the reps whose scorecards changed.
 * Delivers what it raises (email, webhooks) through the outbox; Kafka gets alert events from the relay.
 * Also watches the audit chain over the whole log and publishes signed anchors of it (docs/audit.md).
 */
export async function startAlertWorker(runtime: Runtime, log: Logger, options: AlertWorkerOptions = {}): Promise<Stop> {
  const clock = options.clock ?? new SystemClock();
  const evaluator = new AlertEvaluator(runtime.eventStore, runtime.readModel);
  const evaluate = async (repIds?: readonly string[]) => {
    // A read model far behind the log would raise alerts its missing events contradict; the next
    // evaluation after it catches up decides instead.
    const fresh = await freshWithin(runtime, MAX_LAG_SECONDS).catch((error: unknown) => {
      if (!(error instanceof KafkaLagUnknown)) throw error;
      log.warn(`alert evaluation skipped: ${error.message}, so a lagging partition could go unseen`);
      return false;
    });
    if (!fresh) return;
    const now = clock.now();
    const { actions } = await evaluator.evaluate(now.toISOString(), { repIds });
    await evaluator.apply(actions, now);
    if (actions.length > 0) log.info({ actions: actions.length }, 'alerts reconciled');
  };
  const everyone = schedule('alert evaluation', () => evaluate(), options.everyMs ?? 60_000, log);
  const changes = runtime.kafka
    ? await followScorecardTopic(runtime, evaluate)
    : followReadModel(runtime, evaluate, options.changeCheckMs ?? 2_000, log);
  // Raising and delivering are decoupled through the outbox: a crash between them loses nothing.
  const delivery = startAlertDelivery(runtime, log, { clock });
  const audit = startAuditWatch(runtime, log, { clock });
  log.info(`alert worker running${runtime.kafka ? ' from Kafka' : ''}`);
  return async () => {
    await Promise.all([everyone.stop(), changes.stop(), audit.stop()]);
    await delivery();
  };
}

/** Evaluates everyone when the scorecards projection has moved since the last look. */
function followReadModel(
  runtime: Runtime,
  evaluate: () => Promise<void>,
  everyMs: number,
  log: Logger,
): { stop(): Promise<void> } {
  let seen: string | undefined;
  return schedule(
    'alert evaluation on change',
    async () => {
      const { rows } = await runtime.readModel.query(
        `SELECT string_agg(name || ':' || coalesce(position, 0), ',' ORDER BY name) AS at
         FROM ${READ_MODEL}.projection_checkpoints`,
      );
      const at = rows[0]?.at ?? '';
      if (seen !== undefined && at !== seen) await evaluate();
      seen = at;
    },
    everyMs,
    log,
  );
}

/** A consumer group on the scorecards feed: each member evaluates the reps of its partitions' changes. */
function followScorecardTopic(runtime: Runtime, evaluate: (repIds: readonly string[]) => Promise<void>) {
  const kafka = runtime.kafka as NonNullable<Runtime['kafka']>;
  return kafka.transport.consume({
    groupId: kafka.names.alertWorkerGroup,
    topic: kafka.names.scorecards,
    handle: async (messages) => {
      const repIds = [...new Set(messages.map((message) => message.key.split('|')[0] as string))];
      await evaluate(repIds);
    },
  });
}
