import type { Pool } from 'pg';
import { listenForAppends } from '@salesledger/read-model/append-listener';
import { AppendWakeup, notifyingAppends } from '@salesledger/read-model/append-wakeup';
import { migrateOutbound, migrateReadModel } from '@salesledger/read-model/migrate';
import { migrateAlertOutbox } from '@salesledger/alerts/outbox/migrate';
import { openPool } from '@salesledger/postgres/pool';
import type { Logger } from 'pino';
import type { StreamHead } from '@salesledger/domain/audit-verification';
import type { SealedLog } from '@salesledger/domain/log-verification';
import type { EventStore } from '@salesledger/domain/event-store.port';
import { EsdbEventStore } from '@salesledger/event-store/esdb-event-store.adapter';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { KafkaTransport } from '@salesledger/transport/kafka.transport';
import { kafkaNames, topicSpecs, type KafkaNames } from '@salesledger/transport/topics';
import type { Transport } from '@salesledger/transport/transport.port';
import { resolveBootstrapToken } from './bootstrap-token';
import type { Config } from './config';
import { HealthBoard } from './health-board';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.server';
import { waitForPostgres } from './wait-for-postgres';

/** Everything a process needs from its configuration, opened once and closed in reverse order. */
export interface Runtime {
  readonly config: Config;
  readonly eventStore: EventStore;
  /** Woken by every append made through `eventStore`: followers in this process read at once. */
  readonly appendWakeup: AppendWakeup;
  /** The read-model database (schema read_model, views in reporting), migrated at open. */
  readonly databaseUrl: string;
  readonly readModel: Pool;
  readonly bootstrapToken?: string;
  /** The admin token was made by this start (embedded mode, first run): `start` shows it. */
  readonly bootstrapTokenGenerated?: boolean;
  /** Present when KAFKA_BROKERS is set: the relay publishes to it and consumer groups read from it. */
  readonly kafka?: { readonly transport: Transport; readonly names: KafkaNames };
  /** Stream heads where the store keeps them apart from events (PostgreSQL), for audit verify. */
  streamHeads?(): AsyncIterable<StreamHead>;
  /** The chain over the whole log where the store keeps one (PostgreSQL). */
  readonly sealedLog?: SealedLog;
  /** What the process's loops found wrong, for its /health answer. */
  readonly health: HealthBoard;
  close(): Promise<void>;
}

export async function openRuntime(config: Config, log: Logger): Promise<Runtime> {
  // A database that is not up yet (started alongside, restarting) is waited for, not a crash loop.
  const urls = new Set([config.eventStore.kind === 'postgres' ? config.eventStore.url : undefined, config.databaseUrl]);
  for (const url of urls) if (url) await waitForPostgres(url, config.databaseWaitSeconds, log);
  const embedded = config.eventStore.kind === 'embedded' ? await startEmbeddedPostgres(config.dataDir) : undefined;
  if (embedded) log.info({ dataDir: config.dataDir, reused: !embedded.owned }, 'embedded PostgreSQL is up');
  try {
    const appendWakeup = new AppendWakeup();
    const eventStore = notifyingAppends(await openEventStore(config, embedded, log), appendWakeup);
    const databaseUrl = embedded?.url ?? (config.databaseUrl as string);
    await migrateReadModel(databaseUrl);
    await migrateOutbound(databaseUrl);
    await migrateAlertOutbox(databaseUrl);
    const readModel = openPool(databaseUrl, (error) => log.warn({ err: error }, 'read-model connection lost'));
    const kafka = await openKafka(config, log);
    const bootstrap = await resolveBootstrapToken(config.bootstrapToken, config.dataDir, embedded !== undefined);
    // The token itself is never logged: `start` shows it once on stdout.
    if (bootstrap.generated) log.warn(`generated admin token, kept in ${config.dataDir}/bootstrap-token`);
    // Appends made by other processes (the CLI, other replicas) wake this one's followers too.
    const storeUrl = embedded?.url ?? (config.eventStore.kind === 'postgres' ? config.eventStore.url : undefined);
    const appends = storeUrl ? listenForAppends(storeUrl, appendWakeup, log) : undefined;
    return {
      config,
      eventStore,
      appendWakeup,
      databaseUrl,
      readModel,
      bootstrapToken: bootstrap.token,
      bootstrapTokenGenerated: bootstrap.generated,
      kafka,
      streamHeads: eventStore instanceof PostgresEventStore ? () => eventStore.streamHeads() : undefined,
      sealedLog: eventStore instanceof PostgresEventStore ? eventStore.sealedLog() : undefined,
      health: new HealthBoard(),
      close: async () => {
        await appends?.stop();
        await kafka?.transport.close();
        await eventStore.close();
        await readModel.end();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

async function openEventStore(
  config: Config,
  embedded: EmbeddedPostgres | undefined,
  log: Logger,
): Promise<EventStore> {
  if (config.eventStore.kind === 'esdb') return EsdbEventStore.connect(config.eventStore.url);
  const url = embedded?.url ?? (config.eventStore as { url: string }).url;
  await migrateEventStore(url);
  return new PostgresEventStore(openPool(url, (error) => log.warn({ err: error }, 'PostgreSQL connection lost'), 20));
}

async function openKafka(config: Config, log: Logger): Promise<Runtime['kafka']> {
  if (config.kafkaBrokers.length === 0) return undefined;
  const names = kafkaNames(config.kafkaPrefix);
  const transport = new KafkaTransport(config.kafkaBrokers, 'salesledger', log.child({ component: 'kafka' }));
  await transport.ensureTopics(topicSpecs(names));
  return { transport, names };
}
