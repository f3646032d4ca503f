import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogFormat } from './config';

/**
 * Credentials never reach a log line, wherever they sit in what is logged: bearer headers of a
 * request, token or secret fields of an object or an error.
 */
const REDACTED = {
  paths: [
    'authorization',
    '*.authorization',
    '*.headers.authorization',
    '*.*.headers.authorization',
    'token',
    '*.token',
    '*.*.token',
    'secret',
    '*.secret',
    'bootstrapToken',
    '*.bootstrapToken',
    'metricsToken',
    '*.metricsToken',
  ],
  censor: '[redacted]',
};

/**
 * The process logger, always on stderr so a command's own output on stdout stays clean for
 * scripts. A person at a terminal reads lines; a collector reading a pipe or file gets JSON.
 * Both write synchronously: a process that exits right after logging loses nothing.
 */
export function createLogger(level = 'info', format: LogFormat = 'auto', destination?: DestinationStream): Logger {
  const human = format === 'pretty' || (format === 'auto' && process.stderr.isTTY === true);
  const options = { level, base: undefined, redact: REDACTED };
  if (!human) return pino(options, destination ?? pino.destination({ dest: 2, sync: true }));
  const stream = pretty({
    destination: 2,
    sync: true,
    colorize: process.stderr.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service,app',
    singleLine: true,
    messageFormat: (line, key) => `${origin(line)}${String(line[key] ?? '')}`,
  });
  return pino(options, stream);
}

/** `[salesledger/projector] ` from the child loggers' bindings, so a line says who wrote it. */
function origin(line: Record<string, unknown>): string {
  const names = [line.service, line.app].filter((name) => typeof name === 'string');
  return names.length > 0 ? `[${names.join('/')}] ` : '';
}
