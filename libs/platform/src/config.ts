import { join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import { ConfigError } from '@salesledger/domain/errors';

const POSTGRES_URL = /^postgres(ql)?:\/\/\S+$/;
const EVENT_STORE_URL = /^(postgres(ql)?|esdb(\+discover)?|kurrentdb(\+discover)?):\/\/\S+$/;
const PORT_RULE = 'PORT must be a whole number from 0 to 65535';
const HEALTH_PORT_RULE = 'HEALTH_PORT must be a whole number from 1 to 65535';
export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
const ANCHOR_RULE = 'SALESLEDGER_AUDIT_ANCHOR_MINUTES must be a whole number of minutes, at least 1';
const RATE_RULE = 'RATE_LIMIT_PER_MINUTE must be a whole number of requests, 0 to turn limiting off';
const WAIT_RULE = 'DATABASE_WAIT_SECONDS must be a whole number of seconds';
const TIME_FACTS_RULE = 'SALESLEDGER_TIME_FACTS_SECONDS must be a whole number of seconds, 0 to look never';
const BROKERS = /^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/;

/** The environment as DESIGN §6 defines it; every rule's message names the variable and the fix. */
class Environment {
  @IsOptional()
  @Matches(EVENT_STORE_URL, { message: 'EVENT_STORE_URL must be a postgres://... or esdb://... URL' })
  EVENT_STORE_URL?: string;

  @IsOptional()
  @Matches(POSTGRES_URL, { message: 'DATABASE_URL must be a postgres://... URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @Matches(BROKERS, { message: 'KAFKA_BROKERS must be a comma-separated list of host:port' })
  KAFKA_BROKERS?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,100}$/, {
    message: 'SALESLEDGER_KAFKA_PREFIX may hold only letters, digits, ".", "_" and "-" (at most 100)',
  })
  SALESLEDGER_KAFKA_PREFIX?: string;

  @IsInt({ message: PORT_RULE })
  @Min(0, { message: PORT_RULE })
  @Max(65535, { message: PORT_RULE })
  PORT = 3000;

  @IsOptional()
  @IsInt({ message: HEALTH_PORT_RULE })
  @Min(1, { message: HEALTH_PORT_RULE })
  @Max(65535, { message: HEALTH_PORT_RULE })
  HEALTH_PORT?: number;

  @IsString()
  SALESLEDGER_DATA_DIR = './.data';

  @IsOptional()
  @MinLength(16, { message: 'SALESLEDGER_BOOTSTRAP_TOKEN must be at least 16 characters' })
  SALESLEDGER_BOOTSTRAP_TOKEN?: string;

  @IsOptional()
  @IsString()
  SALESLEDGER_AUDIT_ANCHOR_DIR?: string;

  @IsInt({ message: ANCHOR_RULE })
  @Min(1, { message: ANCHOR_RULE })
  SALESLEDGER_AUDIT_ANCHOR_MINUTES = 60;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL = 'info';

  @IsIn(LOG_FORMATS, { message: 'LOG_FORMAT must be one of auto, pretty, json' })
  LOG_FORMAT: LogFormat = 'auto';

  @IsOptional()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  @IsInt({ message: RATE_RULE })
  @Min(0, { message: RATE_RULE })
  RATE_LIMIT_PER_MINUTE = 6000;

  @IsInt({ message: WAIT_RULE })
  @Min(0, { message: WAIT_RULE })
  DATABASE_WAIT_SECONDS = 60;

  @IsInt({ message: TIME_FACTS_RULE })
  @Min(0, { message: TIME_FACTS_RULE })
  SALESLEDGER_TIME_FACTS_SECONDS = 60;
}

export type EventStoreConfig = { kind: 'embedded' } | { kind: 'postgres'; url: string } | { kind: 'esdb'; url: string };

export interface Config {
  readonly eventStore: EventStoreConfig;
  /** Where read models live; absent in embedded mode, where the embedded server holds them. */
  readonly databaseUrl?: string;
  readonly kafkaBrokers: readonly string[];
  /** Put before every topic and consumer-group name, so installations can share a cluster. */
  readonly kafkaPrefix: string;
  readonly port: number;
  /** Workers (relay, projector, alert worker) answer GET /health here, for liveness and readiness probes. */
  readonly healthPort?: number;
  readonly dataDir: string;
  readonly bootstrapToken?: string;
  readonly logLevel: string;
  /** `auto`: readable lines when stderr is a terminal, JSON otherwise. */
  readonly logFormat: LogFormat;
  /** Where and how often the alert worker writes signed anchors of the log (docs/audit.md). */
  readonly audit: { readonly anchorDir: string; readonly anchorEveryMinutes: number };
  /** When set, GET /metrics answers only `Authorization: Bearer <metricsToken>`. */
  readonly metricsToken?: string;
  /** Requests per minute per bearer token (or client address without one); 0: no limit. */
  readonly rateLimitPerMinute: number;
  /** How long a start waits for an unreachable PostgreSQL before giving up. */
  readonly databaseWaitSeconds: number;
  /** How often the projector looks for facts time alone makes true (overdue papers...); 0: never. */
  readonly timeFactsSeconds: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  for (const name of [
    'PORT',
    'HEALTH_PORT',
    'SALESLEDGER_AUDIT_ANCHOR_MINUTES',
    'RATE_LIMIT_PER_MINUTE',
    'DATABASE_WAIT_SECONDS',
    'SALESLEDGER_TIME_FACTS_SECONDS',
  ])
    if (raw[name] !== undefined && /^\d+$/.test(raw[name])) raw[name] = Number(raw[name]) as never;
  const parsed = plainToInstance(Environment, raw, { excludeExtraneousValues: false });
  const problems = validateSync(parsed, { stopAtFirstError: true }).flatMap((error) =>
    Object.values(error.constraints ?? {}),
  );
  const eventStore = eventStoreConfig(parsed);
  if (eventStore.kind === 'esdb' && !parsed.DATABASE_URL) {
    problems.push('EVENT_STORE_URL=esdb://... needs DATABASE_URL=postgres://... for the read models');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    eventStore,
    databaseUrl: parsed.DATABASE_URL ?? (eventStore.kind === 'postgres' ? eventStore.url : undefined),
    kafkaBrokers: parsed.KAFKA_BROKERS?.split(',') ?? [],
    kafkaPrefix: parsed.SALESLEDGER_KAFKA_PREFIX ?? '',
    port: parsed.PORT,
    healthPort: parsed.HEALTH_PORT,
    dataDir: resolve(parsed.SALESLEDGER_DATA_DIR),
    bootstrapToken: parsed.SALESLEDGER_BOOTSTRAP_TOKEN,
    logLevel: parsed.LOG_LEVEL,
    logFormat: parsed.LOG_FORMAT,
    audit: {
      anchorDir: resolve(parsed.SALESLEDGER_AUDIT_ANCHOR_DIR ?? join(parsed.SALESLEDGER_DATA_DIR, 'anchors')),
      anchorEveryMinutes: parsed.SALESLEDGER_AUDIT_ANCHOR_MINUTES,
    },
    metricsToken: parsed.METRICS_TOKEN,
    rateLimitPerMinute: parsed.RATE_LIMIT_PER_MINUTE,
    databaseWaitSeconds: parsed.DATABASE_WAIT_SECONDS,
    timeFactsSeconds: parsed.SALESLEDGER_TIME_FACTS_SECONDS,
  };
}

function eventStoreConfig(env: Environment): EventStoreConfig {
  const url = env.EVENT_STORE_URL ?? env.DATABASE_URL;
  if (!url) return { kind: 'embedded' };
  return POSTGRES_URL.test(url) ? { kind: 'postgres', url } : { kind: 'esdb', url };
}
