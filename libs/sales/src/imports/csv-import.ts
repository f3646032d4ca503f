import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse';
import { DomainError, InvalidInputError } from '@salesledger/domain/errors';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CommandBus } from '@nestjs/cqrs';
import { LogVisit, PlaceOrder } from '../activity/activity.commands';
import { LogVisitDto, PlaceOrderDto } from '../activity/activity.dto';
import { RegisterCustomer } from '../customers/customers.commands';
import { CreateCustomerDto } from '../customers/customers.dto';
import { validated } from '../shared/validation';

export const IMPORT_KINDS = ['customers', 'visits', 'orders'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

const FIELDS: Record<ImportKind, { required: string[]; optional: string[]; numeric: string[] }> = {
  customers: { required: ['id', 'name', 'repId'], optional: ['status'], numeric: [] },
  visits: {
    required: ['id', 'repId', 'customerId', 'occurredAt', 'kind'],
    optional: ['outcome', 'notes'],
    numeric: [],
  },
  orders: {
    required: ['id', 'repId', 'customerId', 'placedAt', 'sku', 'category', 'quantity', 'unitPrice'],
    optional: ['discount'],
    numeric: ['quantity', 'unitPrice', 'discount'],
  },
};
const LINE_FIELDS = ['sku', 'category', 'quantity', 'unitPrice', 'discount'];

export interface RowError {
  /** The line of the file the problem is on (the header is line 1). */
  readonly row: number;
  readonly field: string;
  readonly message: string;
}

export interface ImportStats {
  rows: number;
  imported: number;
  rejected: number;
  bytes: number;
}

export interface ImportOptions {
  readonly kind: ImportKind;
  readonly principal: Principal;
  /** CSV column -> field, for exports whose headers differ from the field names. */
  readonly mapping?: Readonly<Record<string, string>>;
  readonly onRowError?: (error: RowError) => void;
  readonly onProgress?: (stats: Readonly<ImportStats>) => void;
  readonly parallel?: number;
}

/** One command's worth of rows: a customer or visit is one row, an order one row per line. */
interface Unit {
  readonly rows: number[];
  readonly records: Record<string, string>[];
}

/**
 * Streams a CSV file through the same validation and commands as the API, so a file of any size
 * runs in bounded memory. Good rows go in, bad ones are reported by line; ids make re-imports
 * append nothing.
 */
@Injectable()
export class CsvImporter {
  constructor(private readonly commands: CommandBus) {}

  async run(input: Readable, options: ImportOptions): Promise<ImportStats> {
    const stats: ImportStats = { rows: 0, imported: 0, rejected: 0, bytes: 0 };
    const parser = input.pipe(
      parse({
        columns: (header: string[]) => this.columns(header, options),
        info: true,
        bom: true,
        trim: true,
        skip_empty_lines: true,
        // A malformed record (an odd quote, too many fields) is that row's error, not the file's.
        skip_records_with_error: true,
      }),
    );
    parser.on('skip', (error: Error & { lines?: number }) => {
      stats.rows++;
      stats.rejected++;
      options.onRowError?.({ row: error.lines ?? 0, field: 'row', message: error.message });
    });
    const inFlight = new Set<Promise<void>>();
    for await (const unit of units(parser, options.kind, stats)) {
      const work = this.importUnit(unit, options, stats).finally(() => inFlight.delete(work));
      inFlight.add(work);
      if (inFlight.size >= (options.parallel ?? 16)) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    options.onProgress?.(stats);
    return stats;
  }

  private columns(header: string[], { kind, mapping = {} }: ImportOptions): string[] {
    const fields = header.map((column) => mapping[column] ?? column);
    const missing = FIELDS[kind].required.filter((field) => !fields.includes(field));
    if (missing.length > 0) {
      throw new InvalidInputError(
        missing.map((field) => ({ field, message: 'has no column (name one with --map column=field)' })),
      );
    }
    return fields;
  }

  private async importUnit(unit: Unit, options: ImportOptions, stats: ImportStats): Promise<void> {
    try {
      await this.execute(unit, options);
      stats.imported += unit.rows.length;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      stats.rejected += unit.rows.length;
      for (const problem of problemsOf(error)) options.onRowError?.({ ...problem, row: rowOf(unit, problem.field) });
    } finally {
      options.onProgress?.(stats);
    }
  }

  private async execute({ records }: Unit, { kind, principal }: ImportOptions): Promise<void> {
    const first = pick(records[0] as Record<string, string>, kind);
    switch (kind) {
      case 'customers': {
        const customer = await validated(CreateCustomerDto, first);
        await this.commands.execute(
          new RegisterCustomer(principal, { ...customer, status: customer.status ?? 'customer' }),
        );
        return;
      }
      case 'visits':
        await this.commands.execute(new LogVisit(principal, { ...(await validated(LogVisitDto, first)) }));
        return;
      case 'orders': {
        const lines = records.map((record) => pickFields(pick(record, kind), LINE_FIELDS));
        const order = await validated(PlaceOrderDto, {
          ...pickFields(first, ['id', 'repId', 'customerId', 'placedAt']),
          lines,
        });
        const orderLines = order.lines.map((line) => ({ ...line }));
        await this.commands.execute(new PlaceOrder(principal, { ...order, lines: orderLines }));
      }
    }
  }
}

/** `column=field` pairs, as given on the command line or in the query string. */
export function parseMapping(pairs: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.lastIndexOf('=');
      if (at <= 0 || at === pair.length - 1)
        throw new InvalidInputError([{ field: 'map', message: `takes column=field, got "${pair}"` }]);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

/** Consecutive rows sharing an order id are one order, as ERP exports write them. */
async function* units(
  parser: AsyncIterable<{ record: Record<string, string>; info: { lines: number; bytes: number } }>,
  kind: ImportKind,
  stats: ImportStats,
): AsyncGenerator<Unit> {
  let pending: { rows: number[]; records: Record<string, string>[] } | undefined;
  for await (const { record, info } of parser) {
    stats.rows++;
    stats.bytes = info.bytes;
    if (kind === 'orders' && pending && pending.records[0]?.id === record.id) {
      pending.rows.push(info.lines);
      pending.records.push(record);
      continue;
    }
    if (pending) yield pending;
    pending = { rows: [info.lines], records: [record] };
  }
  if (pending) yield pending;
}

function pick(record: Record<string, string>, kind: ImportKind): Record<string, unknown> {
  const { required, optional, numeric } = FIELDS[kind];
  const picked: Record<string, unknown> = {};
  for (const field of [...required, ...optional]) {
    const value = record[field];
    if (value === undefined || value === '') continue;
    picked[field] = numeric.includes(field) && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  return picked;
}

const pickFields = (record: Record<string, unknown>, fields: string[]) =>
  Object.fromEntries(fields.filter((f) => record[f] !== undefined).map((f) => [f, record[f]]));

function problemsOf(error: DomainError): { field: string; message: string }[] {
  return error instanceof InvalidInputError ? [...error.problems] : [{ field: 'row', message: error.message }];
}

/** An order line's problem is reported on that line's row. */
function rowOf(unit: Unit, field: string): number {
  const line = /^lines[.[](\d+)/.exec(field);
  return unit.rows[line ? Number(line[1]) : 0] ?? (unit.rows[0] as number);
}
