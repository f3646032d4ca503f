import { csvWriter, neutraliseCell } from './csv-cells';

async function written(rows: unknown[][]): Promise<string> {
  const writer = csvWriter();
  const chunks: string[] = [];
  writer.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const done = new Promise((resolve) => writer.on('end', resolve));
  for (const row of rows) writer.write(row);
  writer.end();
  await done;
  return chunks.join('');
}

describe('CSV cells a spreadsheet would evaluate', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `'=HYPERLINK("http://evil","x")`],
    ['+cmd|calc', `'+cmd|calc`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\t=1', `'\t=1`],
    ['\r=1', `'\r=1`],
    ['-', `'-`],
  ])('prefixes %j with a quote', (cell, expected) => {
    expect(neutraliseCell(cell)).toBe(expected);
  });

  it.each(['-12.50', '+3', '-0.1', '1e5', 'Acme GmbH', 'a=b', '', "'=already"])('leaves %j alone', (cell) => {
    expect(neutraliseCell(cell)).toBe(cell);
  });

  it('writes numbers as numbers and neutralises text cells, quoting as CSV needs', async () => {
    expect(await written([[-12.5, '-12.50', '=1+1', 'plain', '=A1,"x"']])).toBe(
      `-12.5,-12.50,'=1+1,plain,"'=A1,""x"""\n`,
    );
  });
});
