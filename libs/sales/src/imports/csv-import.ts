import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { DomainError, InvalidInputError } from '@salesledger/domain/errors';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CommandBus } from '@nestjs/cqrs';
import { LogVisit, PlaceOrder } from '../activity/activity.commands';
import { LogVisitDto, PlaceOrderDto } from '../activity/activity.dto';
import { RegisterCustomer } from '../customers/customers.commands';
import { CreateCustomerDto } from '../customers/customers.dto';
import { validated } from '../shared/validation';
import type { ImportKind } from './csv-columns';
import { pick, readUnits, type Unit } from './csv-rows';

export { IMPORT_KINDS, type ImportKind } from './csv-columns';

const LINE_FIELDS = ['sku', 'category', 'quantity', 'unitPrice', 'discount'];

export interface RowError {
  /** The line of the file the problem is on (the header is line 1). */
  readonly row: number;
  readonly field: string;
  readonly message: string;
  /** The rejected row as it was in the file, value by value in column order. */
  readonly values: readonly string[];
}

export interface ImportStats {
  rows: number;
  /** Rows whose record was appended now. */
  new: number;
  /** Rows already recorded by an earlier import of the same content: nothing appended. */
  alreadyPresent: number;
  rejected: number;
  bytes: number;
}

export interface ImportOptions {
  readonly kind: ImportKind;
  readonly principal: Principal;
  /** CSV column -> field, for exports whose headers differ from the field names. */
  readonly mapping?: Readonly<Record<string, string>>;
  /** The file's header, once accepted: the report's columns. */
  readonly onHeader?: (columns: readonly string[]) => void;
  readonly onRowError?: (error: RowError) => void;
  readonly onProgress?: (stats: Readonly<ImportStats>) => void;
  readonly parallel?: number;
  /**
   * Aborted when the file's sender is gone: no further row is started, the rows in flight finish
   * (what was appended stays, and a re-import counts it as already present).
   */
  readonly signal?: AbortSignal;
}

/**
 * Streams a CSV file through the same validation and commands as the API, so a file of any size
 * runs in bounded memory. Good rows go in, bad ones are reported by line with their values; ids
 * make a re-import append nothing, and its rows are counted as already present.
 */
@Injectable()
export class CsvImporter {
  constructor(private readonly commands: CommandBus) {}

  async run(input: Readable, options: ImportOptions): Promise<ImportStats> {
    const stats: ImportStats = { rows: 0, new: 0, alreadyPresent: 0, rejected: 0, bytes: 0 };
    const units = readUnits(input, {
      kind: options.kind,
      mapping: options.mapping ?? {},
      onHeader: options.onHeader,
      onMalformed: (row, message, values) => {
        stats.rows++;
        stats.rejected++;
        options.onRowError?.({ row, field: 'row', message, values });
      },
      onRow: (bytes) => {
        stats.rows++;
        stats.bytes = bytes;
      },
      signal: options.signal,
    });
    const inFlight = new Set<Promise<void>>();
    try {
      for await (const unit of units) {
        if (options.signal?.aborted) break;
        const work = this.importUnit(unit, options, stats).finally(() => inFlight.delete(work));
        inFlight.add(work);
        if (inFlight.size >= (options.parallel ?? 16)) await Promise.race(inFlight);
      }
    } catch (error) {
      if (!options.signal?.aborted) throw error;
    }
    await Promise.all(inFlight);
    options.onProgress?.(stats);
    return stats;
  }

  private async importUnit(unit: Unit, options: ImportOptions, stats: ImportStats): Promise<void> {
    try {
      const replayed = await this.execute(unit, options);
      if (replayed) stats.alreadyPresent += unit.rows.length;
      else stats.new += unit.rows.length;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      stats.rejected += unit.rows.length;
      for (const problem of problemsOf(error)) {
        const at = lineOf(unit, problem.field);
        options.onRowError?.({ ...problem, row: unit.rows[at] as number, values: unit.values[at] as string[] });
      }
    } finally {
      options.onProgress?.(stats);
    }
  }

  /** True when the unit was already recorded (same id, same content). */
  private async execute({ records }: Unit, { kind, principal }: ImportOptions): Promise<boolean> {
    const first = pick(records[0] as Record<string, string>, kind);
    switch (kind) {
      case 'customers': {
        const customer = await validated(CreateCustomerDto, first);
        const status = customer.status ?? 'customer';
        return (await this.commands.execute(new RegisterCustomer(principal, { ...customer, status }))).replayed;
      }
      case 'visits':
        return (await this.commands.execute(new LogVisit(principal, { ...(await validated(LogVisitDto, first)) })))
          .replayed;
      case 'orders': {
        const lines = records.map((record) => pickFields(pick(record, kind), LINE_FIELDS));
        const order = await validated(PlaceOrderDto, {
          ...pickFields(first, ['id', 'repId', 'customerId', 'placedAt']),
          lines,
        });
        const input = { ...order, lines: order.lines.map((line) => ({ ...line })) };
        return (await this.commands.execute(new PlaceOrder(principal, input))).replayed;
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

const pickFields = (record: Record<string, unknown>, fields: string[]) =>
  Object.fromEntries(fields.filter((f) => record[f] !== undefined).map((f) => [f, record[f]]));

function problemsOf(error: DomainError): { field: string; message: string }[] {
  return error instanceof InvalidInputError ? [...error.problems] : [{ field: 'row', message: error.message }];
}

/** Which of the unit's rows a problem is on: an order line's problem is on that line's row. */
function lineOf(unit: Unit, field: string): number {
  const line = /^lines[.[](\d+)/.exec(field);
  const at = line ? Number(line[1]) : 0;
  return at < unit.rows.length ? at : 0;
}
