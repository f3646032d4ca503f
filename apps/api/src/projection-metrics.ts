import type { Provider } from '@nestjs/common';
import { Gauge, register, type GaugeConfiguration } from 'prom-client';
import { PROJECTION_STATUSES, type ProjectionStatuses } from './projection-statuses';

/** The process's gauge of that name: several API apps in one process share it. */
const gauge = (config: GaugeConfiguration<'projection'>): Gauge<'projection'> =>
  (register.getSingleMetric(config.name) as Gauge<'projection'> | undefined) ?? new Gauge(config);

/**
 * Gauges per projection, read from the checkpoint table (and with Kafka on, the broker) at each
 * scrape, so they hold for any projector process. A scrape that cannot read them leaves the series
 * out rather than repeating stale figures.
 */
export const projectionMetrics: Provider = {
  provide: 'projection metrics',
  inject: [PROJECTION_STATUSES],
  useFactory: (read: ProjectionStatuses) => {
    const gauges = {
      position: gauge({
        name: 'salesledger_projection_position',
        help: 'highest log position applied',
        labelNames: ['projection'],
      }),
      lagEvents: gauge({
        name: 'salesledger_projection_lag_events',
        help: 'events in the log past the checkpoint',
        labelNames: ['projection'],
      }),
      lagSeconds: gauge({
        name: 'salesledger_projection_lag_seconds',
        help: 'age of the checkpoint behind the last event',
        labelNames: ['projection'],
      }),
      unsettled: gauge({
        name: 'salesledger_projection_unsettled',
        help: 'stored results applied but not yet settled (the stored scorecards BI reads)',
        labelNames: ['projection'],
      }),
      failed: gauge({
        name: 'salesledger_projection_failed',
        help: '1 while the projection is stopped on an event',
        labelNames: ['projection'],
      }),
    };
    // One scrape reads the statuses once, whichever gauge asks first.
    let reading: ReturnType<ProjectionStatuses> | undefined;
    const statuses = () => {
      reading ??= read().finally(() => setImmediate(() => (reading = undefined)));
      return reading;
    };
    for (const [key, gauge] of Object.entries(gauges))
      Object.assign(gauge, {
        collect: async (): Promise<void> => {
          const answer = await statuses().catch(() => undefined);
          // Without Kafka's answer, the lag is left out: the highest position's alone would read 0.
          if (!answer || (key === 'lagEvents' && answer.kafkaLagUnknown)) return gauge.reset();
          for (const status of answer.statuses) {
            const value = {
              position: status.position ?? 0,
              lagEvents: status.lagEvents,
              lagSeconds: status.lagSeconds,
              unsettled: status.unsettled,
              failed: status.state === 'failed' ? 1 : 0,
            }[key as keyof typeof gauges];
            gauge.set({ projection: status.name }, value);
          }
        },
      });
    return gauges;
  },
};
