import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Pool } from 'pg';
import type { DeliverySummary } from '@salesledger/alerts/outbox/delivery-admin';
import type { DeliveryStatus } from '@salesledger/alerts/outbox/outbox-delivery';

/** The outbound database the commands work on, and how to let it go. */
export type OpenOutbound = () => Promise<{ readonly pool: Pool; close(): Promise<void> }>;

export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
  /** The command's exit code when it did not do everything asked. */
  fail(code: number): void;
}

const STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'dead', 'cancelled'];

// Loaded when a command runs, so registering these costs the CLI's other commands nothing.
const fromEnvironment: OpenOutbound = async () => {
  const { openFromEnvironment } = await import('@salesledger/platform/service');
  const { runtime } = await openFromEnvironment('alerts');
  return { pool: runtime.readModel, close: () => runtime.close() };
};

const console_: CommandOutput = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  fail: (code) => (process.exitCode = code),
};

/**
 * Adds `deliveries list` and `deliveries replay` to the CLI's `alerts` command (which other alert
 * commands share). `open` and `output` are for tests; by default the configured database and the console.
 */
export function addAlertDeliveryCommands(
  alerts: Command,
  open: OpenOutbound = fromEnvironment,
  output: CommandOutput = console_,
): Command {
  const deliveries = alerts
    .command('deliveries')
    .description('the alert delivery outbox: what is waiting, what was sent, what was dead-lettered');
  deliveries
    .command('list')
    .description('list deliveries of one status, oldest first')
    .addOption(new Option('--status <status>', 'which deliveries').choices(STATUSES).default('dead'))
    .addOption(new Option('--limit <count>', 'at most this many').argParser(wholeNumber).default(100))
    .action((options: { status: DeliveryStatus; limit: number }) =>
      withOutbound(open, (pool) => list(pool, options, output)),
    );
  deliveries
    .command('replay')
    .description('send dead-lettered deliveries again, with their delivery ids (all dead ones when none is named)')
    .argument('[deliveryId...]', 'the deliveries to replay')
    .action((ids: string[]) => withOutbound(open, (pool) => replay(pool, ids, output)));
  return deliveries;
}

async function withOutbound(open: OpenOutbound, work: (pool: Pool) => Promise<void>): Promise<void> {
  const outbound = await open();
  try {
    await work(outbound.pool);
  } finally {
    await outbound.close();
  }
}

async function list(pool: Pool, options: { status: DeliveryStatus; limit: number }, output: CommandOutput) {
  const { listDeliveries } = await import('@salesledger/alerts/outbox/delivery-admin');
  const rows = await listDeliveries(pool, options);
  if (rows.length === 0) return output.out(`no ${options.status} deliveries`);
  for (const line of table(rows)) output.out(line);
}

async function replay(pool: Pool, ids: readonly string[], output: CommandOutput) {
  const { replayDeadDeliveries } = await import('@salesledger/alerts/outbox/delivery-admin');
  const replayed = await replayDeadDeliveries(pool, ids.length > 0 ? ids : 'all', new Date());
  for (const id of replayed) output.out(`replayed ${id}`);
  output.out(`${replayed.length} ${replayed.length === 1 ? 'delivery' : 'deliveries'} queued again`);
  const left = ids.filter((id) => !replayed.includes(id));
  if (left.length > 0) {
    output.err(`not dead-lettered, left as they are: ${left.join(', ')}`);
    output.fail(1);
  }
}

const COLUMNS: readonly [string, (row: DeliverySummary) => string][] = [
  ['DELIVERY ID', (row) => row.deliveryId],
  ['CHANNEL', (row) => row.channel],
  ['KIND', (row) => row.kind],
  ['RECIPIENT', (row) => row.recipient],
  ['ALERT', (row) => row.alertId ?? '-'],
  ['ATTEMPTS', (row) => String(row.attempt)],
  ['CREATED', (row) => row.createdAt],
  ['LAST ERROR', (row) => row.lastError ?? '-'],
];

function table(rows: readonly DeliverySummary[]): string[] {
  const cells = [COLUMNS.map(([title]) => title), ...rows.map((row) => COLUMNS.map(([, cell]) => cell(row)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => (line[i] as string).length)));
  return cells.map((line) =>
    line
      .map((cell, i) => cell.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd(),
  );
}

function wholeNumber(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('must be a whole number above 0');
  return Number(value);
}
