import type { TopicSpec } from './transport.port';

/** DESIGN §6 names; a prefix (SALESLEDGER_KAFKA_PREFIX) lets several installations or test runs share a cluster. */
export function kafkaNames(prefix = '') {
  return {
    events: `${prefix}salesledger.events.v1`,
    scorecards: `${prefix}salesledger.scorecards.v1`,
    alerts: `${prefix}salesledger.alerts.v1`,
    audit: `${prefix}salesledger.audit.v1`,
    projectorGroup: `${prefix}salesledger-projector`,
    alertWorkerGroup: `${prefix}salesledger-alert-worker`,
  };
}

export type KafkaNames = ReturnType<typeof kafkaNames>;

/** Partitions bound how many replicas of a consumer group can share the work. */
export const EVENT_PARTITIONS = 6;

export function topicSpecs(names: KafkaNames): TopicSpec[] {
  return [
    // The log itself: a consumer (a BI team, a new projector group) must be able to start from the beginning.
    { name: names.events, partitions: EVENT_PARTITIONS, keepForever: true },
    { name: names.scorecards, partitions: EVENT_PARTITIONS, compacted: true },
    { name: names.alerts, partitions: EVENT_PARTITIONS, keepForever: true },
    // Signed anchors of the log (docs/audit.md): one partition keeps them in order; never deleted.
    { name: names.audit, partitions: 1, keepForever: true },
  ];
}
