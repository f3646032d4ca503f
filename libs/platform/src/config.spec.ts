import { resolve } from 'node:path';
import { ConfigError } from '@salesledger/domain/errors';
import { loadConfig } from './config';

describe('configuration from the environment', () => {
  it('runs embedded with the documented defaults when nothing is set', () => {
    expect(loadConfig({})).toEqual({
      eventStore: { kind: 'embedded' },
      databaseUrl: undefined,
      kafkaBrokers: [],
      kafkaPrefix: '',
      port: 3000,
      healthPort: undefined,
      dataDir: resolve('.data'),
      bootstrapToken: undefined,
      logLevel: 'info',
      logFormat: 'auto',
      audit: { anchorDir: resolve('.data/anchors'), anchorEveryMinutes: 60 },
      metricsToken: undefined,
      rateLimitPerMinute: 6000,
      databaseWaitSeconds: 60,
      timeFactsSeconds: 60,
    });
  });

  it('takes how often the projector looks for time-driven facts, 0 for never', () => {
    expect(loadConfig({ SALESLEDGER_TIME_FACTS_SECONDS: '0' }).timeFactsSeconds).toBe(0);
    expect(loadConfig({ SALESLEDGER_TIME_FACTS_SECONDS: '300' }).timeFactsSeconds).toBe(300);
    expect(() => loadConfig({ SALESLEDGER_TIME_FACTS_SECONDS: 'hourly' })).toThrow(
      'SALESLEDGER_TIME_FACTS_SECONDS must be a whole number of seconds, 0 to look never',
    );
  });

  it('takes the metrics token, the rate limit and the database wait', () => {
    const config = loadConfig({
      METRICS_TOKEN: 'scrape-me-please-0001',
      RATE_LIMIT_PER_MINUTE: '0',
      DATABASE_WAIT_SECONDS: '2',
    });
    expect(config).toMatchObject({
      metricsToken: 'scrape-me-please-0001',
      rateLimitPerMinute: 0,
      databaseWaitSeconds: 2,
    });
    expect(() =>
      loadConfig({ RATE_LIMIT_PER_MINUTE: 'lots', DATABASE_WAIT_SECONDS: '-1', METRICS_TOKEN: 'short' }),
    ).toThrow(/RATE_LIMIT_PER_MINUTE[\s\S]*DATABASE_WAIT_SECONDS|METRICS_TOKEN/);
  });

  it('takes where and how often the worker writes audit anchors', () => {
    const config = loadConfig({ SALESLEDGER_AUDIT_ANCHOR_DIR: '/srv/anchors', SALESLEDGER_AUDIT_ANCHOR_MINUTES: '5' });
    expect(config.audit).toEqual({ anchorDir: '/srv/anchors', anchorEveryMinutes: 5 });
  });

  it('keeps events and read models in one PostgreSQL when only EVENT_STORE_URL names it', () => {
    const config = loadConfig({ EVENT_STORE_URL: 'postgres://db/events' });
    expect(config.eventStore).toEqual({ kind: 'postgres', url: 'postgres://db/events' });
    expect(config.databaseUrl).toBe('postgres://db/events');
  });

  it('keeps events in DATABASE_URL too when only it is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/sl' }).eventStore).toEqual({
      kind: 'postgres',
      url: 'postgresql://db/sl',
    });
  });

  it('takes EventStoreDB for events and PostgreSQL for read models', () => {
    const config = loadConfig({
      EVENT_STORE_URL: 'esdb://es:2113?tls=false',
      DATABASE_URL: 'postgres://db/rm',
      KAFKA_BROKERS: 'k1:9092,k2:9092',
    });
    expect(config.eventStore).toEqual({ kind: 'esdb', url: 'esdb://es:2113?tls=false' });
    expect(config.databaseUrl).toBe('postgres://db/rm');
    expect(config.kafkaBrokers).toEqual(['k1:9092', 'k2:9092']);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', EVENT_STORE_URL: '' })).toMatchObject({
      port: 3000,
      eventStore: { kind: 'embedded' },
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be a whole number from 0 to 65535'],
    [{ PORT: '70000' }, 'PORT must be a whole number from 0 to 65535'],
    [{ EVENT_STORE_URL: 'mysql://db' }, 'EVENT_STORE_URL must be a postgres://... or esdb://... URL'],
    [{ DATABASE_URL: 'esdb://es:2113' }, 'DATABASE_URL must be a postgres://... URL'],
    [
      { EVENT_STORE_URL: 'esdb://es:2113' },
      'EVENT_STORE_URL=esdb://... needs DATABASE_URL=postgres://... for the read models',
    ],
    [{ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS must be a comma-separated list of host:port'],
    [{ SALESLEDGER_BOOTSTRAP_TOKEN: 'short' }, 'SALESLEDGER_BOOTSTRAP_TOKEN must be at least 16 characters'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT must be one of auto, pretty, json'],
    [{ SALESLEDGER_AUDIT_ANCHOR_MINUTES: '0' }, 'SALESLEDGER_AUDIT_ANCHOR_MINUTES must be a whole number of minutes'],
    [
      { SALESLEDGER_AUDIT_ANCHOR_MINUTES: 'hourly' },
      'SALESLEDGER_AUDIT_ANCHOR_MINUTES must be a whole number of minutes',
    ],
  ])('refuses %p with a message that names the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('lists every bad value at once', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: '-1', KAFKA_BROKERS: 'x', LOG_LEVEL: 'loud' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error?.problems).toHaveLength(3);
  });
});
