import { columnsAsText, IMPORT_KINDS } from '@salesledger/sales/imports/csv-columns';

/** The columns each kind reads, shown under `salesledger import --help`. */
export function importHelp(): string {
  return [
    '',
    'Columns (the header row names them; --map reads another header as one of them):',
    ...IMPORT_KINDS.map((kind) => `\n${columnsAsText(kind)}`),
    '',
    'Rejected rows go to the report with their line, the field, the reason and the row as it was in the file.',
    'Rows already imported (same id, same content) are counted as already present and append nothing.',
  ].join('\n');
}
