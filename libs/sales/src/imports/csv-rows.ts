import { addAbortSignal, pipeline, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { InvalidInputError } from '@salesledger/domain/errors';
import { CSV_COLUMNS, requiredColumns, type ImportKind } from './csv-columns';

/** One command's worth of rows: a customer or visit is one row, an order one row per line. */
export interface Unit {
  /** The file line of each row. */
  readonly rows: number[];
  /** Each row by field name. */
  readonly records: Record<string, string>[];
  /** Each row as it was in the file. */
  readonly values: string[][];
}

export interface RowSource {
  readonly kind: ImportKind;
  /** CSV column -> field. */
  readonly mapping: Readonly<Record<string, string>>;
  /** The header as it is in the file, once it has been accepted. */
  readonly onHeader?: (columns: readonly string[]) => void;
  /**
   * A row the parser could not read: with a wrong number of fields, its values; with a stray or
   * unclosed quote, the text read up to the problem (the parser keeps no more of it).
   */
  readonly onMalformed: (row: number, message: string, values: string[]) => void;
  /** Each row read, with the bytes read so far. */
  readonly onRow: (bytes: number) => void;
  /** Aborted: reading stops where it is (the import's client went away). */
  readonly signal?: AbortSignal;
}

type Parsed = { record: string[]; info: { lines: number; bytes: number } };
type ParseSkip = Error & { lines?: number; record?: string[]; raw?: string };

/**
 * The rows of a CSV stream grouped into units. Records are read as arrays and named here, so a
 * rejected row can be reported with its values in file order. A header that lacks a required
 * column fails the whole file before any row is read.
 */
export async function* readUnits(input: Readable, source: RowSource): AsyncGenerator<Unit> {
  // A malformed record is that row's error, not the file's; `raw` lets it be shown as it was.
  const parser = parse({
    info: true,
    raw: true,
    bom: true,
    trim: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
  });
  // Unlike pipe(), a pipeline ends the rows when the input fails (a dropped upload) instead of waiting for ever.
  pipeline(input, parser, () => undefined);
  if (source.signal) addAbortSignal(source.signal, parser);
  parser.on('skip', (error: ParseSkip) =>
    source.onMalformed(error.lines ?? 0, error.message, error.record ?? [error.raw?.trimEnd() ?? '']),
  );
  let fields: string[] | undefined;
  let pending: Unit | undefined;
  for await (const { record, info } of parser as AsyncIterable<Parsed>) {
    if (!fields) {
      fields = acceptHeader(record, source);
      continue;
    }
    source.onRow(info.bytes);
    const named = Object.fromEntries(fields.map((field, i) => [field, record[i] ?? '']));
    if (source.kind === 'orders' && pending && pending.records[0]?.id === named.id) {
      pending.rows.push(info.lines);
      pending.records.push(named);
      pending.values.push(record);
      continue;
    }
    if (pending) yield pending;
    pending = { rows: [info.lines], records: [named], values: [record] };
  }
  if (pending) yield pending;
}

function acceptHeader(header: string[], { kind, mapping, onHeader }: RowSource): string[] {
  const fields = header.map((column) => mapping[column] ?? column);
  const missing = requiredColumns(kind).filter((field) => !fields.includes(field));
  if (missing.length > 0) {
    throw new InvalidInputError(
      missing.map((field) => ({ field, message: 'has no column (name one with --map column=field)' })),
    );
  }
  onHeader?.(header);
  return fields;
}

/** The row's known fields, empty cells left out, numbers read as numbers where the column is numeric. */
export function pick(record: Record<string, string>, kind: ImportKind): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const { name, numeric } of CSV_COLUMNS[kind].columns) {
    const value = record[name];
    if (value === undefined || value === '') continue;
    picked[name] = numeric && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  return picked;
}
