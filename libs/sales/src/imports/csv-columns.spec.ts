import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { columnsAsMarkdown, CSV_COLUMNS, IMPORT_KINDS } from './csv-columns';

describe('CSV columns', () => {
  it("the README's tables are the columns the importer reads", () => {
    const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
    for (const kind of IMPORT_KINDS) expect(readme).toContain(columnsAsMarkdown(kind));
  });

  it('every column has a format and an example, and no kind names a column twice', () => {
    for (const kind of IMPORT_KINDS) {
      const { columns } = CSV_COLUMNS[kind];
      expect(new Set(columns.map((column) => column.name)).size).toBe(columns.length);
      for (const column of columns) expect(column.format && column.example).toBeTruthy();
    }
  });
});
