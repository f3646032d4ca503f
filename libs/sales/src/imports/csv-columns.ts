/**
 * What a CSV import reads, kind by kind: the one description behind the importer, `salesledger
 * import --help`, the README's table and the API's text/csv body, so none of them can disagree.
 */
export const IMPORT_KINDS = ['customers', 'visits', 'orders'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface CsvColumn {
  /** The header the importer looks for (another header is read as it with `--map` / `?map=`). */
  readonly name: string;
  readonly required: boolean;
  /** Read as a JSON number when it looks like one, so `2` and `10.50` validate as numbers. */
  readonly numeric?: boolean;
  readonly format: string;
  readonly example: string;
}

export interface CsvKind {
  /** What one row is. */
  readonly rows: string;
  readonly columns: readonly CsvColumn[];
}

const ID_FORMAT = 'id: 1-100 letters, digits, `_ . : -`, starting with a letter or digit';
const INSTANT = 'ISO-8601 instant with a time zone';

const id = (example: string): CsvColumn => ({ name: 'id', required: true, format: ID_FORMAT, example });
const rep: CsvColumn = { name: 'repId', required: true, format: 'id of an existing rep', example: 'rep-1' };
const customer: CsvColumn = {
  name: 'customerId',
  required: true,
  format: 'id of an existing customer',
  example: 'c-1001',
};

export const CSV_COLUMNS: Readonly<Record<ImportKind, CsvKind>> = {
  customers: {
    rows: 'one customer per row',
    columns: [
      id('c-1001'),
      { name: 'name', required: true, format: 'text, 1-200 characters', example: 'Acme GmbH' },
      { ...rep, format: 'id of an existing rep: the customer’s owner' },
      { name: 'status', required: false, format: '`prospect` or `customer` (empty: `customer`)', example: 'prospect' },
    ],
  },
  visits: {
    rows: 'one visit per row',
    columns: [
      id('v-2026-0042'),
      rep,
      customer,
      { name: 'occurredAt', required: true, format: INSTANT, example: '2026-03-02T09:30:00Z' },
      {
        name: 'kind',
        required: true,
        format: '`prospecting`, `existing-customer` or `follow-up`',
        example: 'follow-up',
      },
      { name: 'outcome', required: false, format: 'text, 1-200 characters', example: 'asked for a quote' },
      { name: 'notes', required: false, format: 'text, up to 5000 characters', example: 'met the buyer' },
      { name: 'followUpOn', required: false, format: 'day, YYYY-MM-DD: the promised follow-up', example: '2026-03-09' },
    ],
  },
  orders: {
    rows: 'one order line per row; consecutive rows with the same id are one order',
    columns: [
      id('o-7731'),
      rep,
      customer,
      { name: 'placedAt', required: true, format: INSTANT, example: '2026-03-02T10:00:00Z' },
      { name: 'sku', required: true, format: 'text, 1-100 characters', example: 'DRL-18V' },
      { name: 'category', required: true, format: 'text, 1-100 characters', example: 'tools' },
      { name: 'quantity', required: true, numeric: true, format: 'number, 0.001 to 1000000000', example: '2' },
      { name: 'unitPrice', required: true, numeric: true, format: 'decimal, 0 to 1000000000', example: '129.90' },
      { name: 'discount', required: false, numeric: true, format: 'fraction, 0 to 1 (empty: 0)', example: '0.1' },
    ],
  },
};

export function requiredColumns(kind: ImportKind): string[] {
  return CSV_COLUMNS[kind].columns.filter((column) => column.required).map((column) => column.name);
}

/** The columns as plain text, for a terminal. */
export function columnsAsText(kind: ImportKind): string {
  const { rows, columns } = CSV_COLUMNS[kind];
  const width = Math.max(...columns.map((column) => column.name.length));
  const lines = columns.map(
    (c) =>
      `  ${c.name.padEnd(width)}  ${c.required ? 'required' : 'optional'}  ${c.format.replaceAll('`', '')} (e.g. ${c.example})`,
  );
  return [`${kind}: ${rows}`, ...lines].join('\n');
}

/** The columns as a Markdown table, for the README and the OpenAPI description. */
export function columnsAsMarkdown(kind: ImportKind): string {
  const lines = CSV_COLUMNS[kind].columns.map(
    (c) => `| \`${c.name}\` | ${c.required ? 'required' : 'optional'} | ${c.format} | \`${c.example}\` |`,
  );
  return ['| column | use | format | example |', '| --- | --- | --- | --- |', ...lines].join('\n');
}
