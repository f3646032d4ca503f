import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import { register } from 'prom-client';
import type { HealthBoard } from './health-board';
import { ConfigError } from '@salesledger/domain/errors';
import { loadConfig, type Config } from './config';
import { createLogger } from './logger';
import { metricsAllowed } from './metrics-token';
import { openRuntime, type Runtime } from './runtime';
import { DatabaseUnreachableError } from './wait-for-postgres';

export type Stop = () => Promise<void>;

/**
 * Runs a long-lived process: validated config, runtime, then `start`. On SIGINT/SIGTERM it stops
 * taking work, lets in-flight work finish, closes the store (and the embedded server) and exits 0.
 * (`npm start` execs node, so a supervisor's SIGTERM to npm reaches it too.)
 */
export async function runService(name: string, start: (runtime: Runtime, log: Logger) => Promise<Stop>): Promise<void> {
  const { runtime, log } = await openFromEnvironment(name);
  let stopping = false;
  let health: Promise<Server | undefined> = Promise.resolve(undefined);
  // Listening for signals before starting: a Ctrl-C that lands while the apps start (or just after
  // the API says it listens) waits for the start to finish, then drains, instead of killing the
  // process half-started.
  const starting = start(runtime, log);
  const shutdown = async (signal: NodeJS.Signals) => {
    // Under `npm start` one Ctrl-C arrives twice (from the terminal and forwarded by npm), so a
    // repeated signal must not cut the drain short; `kill -9` remains for a stop that hangs.
    if (stopping) return log.info(`${signal} again: still finishing in-flight work`);
    stopping = true;
    log.info(`${signal}: finishing in-flight work`);
    const stop = await starting.catch(() => undefined);
    if (!stop) return; // the start failed: reported and exited below
    await stop();
    await runtime.close();
    (await health)?.close();
    log.info('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void shutdown(signal));
  process.on('SIGTERM', (signal) => void shutdown(signal));
  try {
    await starting;
  } catch (error) {
    log.fatal({ err: error }, `${name} failed to start`);
    await runtime.close();
    process.exit(1);
  }
  if (runtime.config.healthPort) {
    health = serveHealth(runtime.config.healthPort, name, () => stopping, runtime.health, runtime.config.metricsToken);
    await health;
  }
}

/** Config, logger and runtime for a process or a command; a bad configuration ends it with every problem listed. */
export async function openFromEnvironment(name: string): Promise<{ runtime: Runtime; log: Logger }> {
  const config = configFromEnvironment(name);
  const log = createLogger(config.logLevel, config.logFormat).child({ service: name });
  try {
    return { runtime: await openRuntime(config, log), log };
  } catch (error) {
    if (!(error instanceof DatabaseUnreachableError)) throw error;
    log.fatal(error.message);
    process.exit(1);
  }
}

/** The validated configuration; a bad one ends the process with every problem listed (exit 2). */
export function configFromEnvironment(name: string): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(2);
  }
}

/**
 * A worker's probe endpoint: up while the process runs its loops (each of which retries whatever
 * fails, and a Kafka consumer that gives up ends the process), 503 once it is draining; "degraded"
 * (still 200) with the problems a loop reported that a restart would not fix. Dependencies are not
 * checked: restarting a worker fixes neither a database nor a broker. GET /metrics serves the
 * process's Prometheus metrics (with METRICS_TOKEN set, only to `Authorization: Bearer <it>`).
 */
function serveHealth(
  port: number,
  service: string,
  draining: () => boolean,
  board: HealthBoard,
  metricsToken: string | undefined,
): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/metrics') {
      if (!metricsAllowed(metricsToken, request.headers.authorization)) {
        response.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
        response.end(
          JSON.stringify({ statusCode: 401, error: 'Unauthorized', message: 'GET /metrics needs the metrics token' }),
        );
        return;
      }
      void register.metrics().then((text) => {
        response.writeHead(200, { 'content-type': register.contentType });
        response.end(text);
      });
      return;
    }
    const known = request.method === 'GET' && request.url === '/health';
    const status = !known ? 404 : draining() ? 503 : 200;
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(known ? healthAnswer(service, status, board) : { error: 'not found' }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}

function healthAnswer(service: string, status: number, board: HealthBoard) {
  if (status !== 200) return { status: 'draining', service };
  return board.degraded ? { status: 'degraded', service, problems: board.problems() } : { status: 'up', service };
}
