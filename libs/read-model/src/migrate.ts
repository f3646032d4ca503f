import { LOCKS } from '@salesledger/postgres/advisory-locks';
import { migrateSchema } from '@salesledger/postgres/migrations';
import { OUTBOUND, READ_MODEL } from '@salesledger/postgres/schemas';
import { ReadModelSchema1710000000000 } from './migrations/1710000000000-read-model.migration';
import { KafkaFeeds1720000000000 } from './migrations/1720000000000-kafka-feeds.migration';
import { Outbound1730000000000 } from './migrations/1730000000000-outbound.migration';
import { Alerts1740000000000 } from './migrations/1740000000000-alerts.migration';
import { Browse1752000000000 } from './migrations/1752000000000-browse.migration';
import { RepPeriods1750000000000 } from './migrations/1750000000000-rep-periods.migration';
import { SettledScorecards1760000000000 } from './migrations/1760000000000-settled-scorecards.migration';
import { ResponseCounts1770000000000 } from './migrations/1770000000000-response-counts.migration';
import { TokenUsage1751000000000 } from './migrations/1751000000000-token-usage.migration';
import { createReportingViews } from './reporting';

const READ_MODEL_MIGRATIONS = [
  ReadModelSchema1710000000000,
  KafkaFeeds1720000000000,
  Alerts1740000000000,
  RepPeriods1750000000000,
  Browse1752000000000,
  SettledScorecards1760000000000,
  ResponseCounts1770000000000,
];
/** The outbound tables this lib reads and writes; other libs add their own (the alert outbox's, in libs/alerts). */
const OUTBOUND_MIGRATIONS = [Outbound1730000000000, TokenUsage1751000000000];

/** Brings a read-model schema up to date (and the reporting views with it); safe when several processes start at once. */
export function migrateReadModel(url: string, schema = READ_MODEL): Promise<void> {
  return migrateSchema(url, {
    schema,
    lock: LOCKS.readModelDatabaseMigrations,
    migrations: READ_MODEL_MIGRATIONS,
    after: schema === READ_MODEL ? (client) => createReportingViews(client) : undefined,
  });
}

/** Brings the read model's tables in the outbound schema (follower checkpoints, token usage) up to date. */
export function migrateOutbound(url: string): Promise<void> {
  return migrateSchema(url, {
    schema: OUTBOUND,
    lock: LOCKS.readModelDatabaseMigrations,
    migrations: OUTBOUND_MIGRATIONS,
  });
}
