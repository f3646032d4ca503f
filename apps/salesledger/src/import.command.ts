import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { Presets, SingleBar } from 'cli-progress';
import { InvalidInputError } from '@salesledger/domain/errors';
import { csvWriter } from '@salesledger/platform/csv-cells';
import { openFromEnvironment } from '@salesledger/platform/service';
import { openApplication } from '@salesledger/sales/application.module';
import { CsvImporter, IMPORT_KINDS, parseMapping, type ImportKind } from '@salesledger/sales/imports/csv-import';

export interface ImportCommandOptions {
  readonly map: string[];
  readonly errors?: string;
}

/** Exit code 1 when any row was rejected (the good ones are in); the report names each by line. */
export async function importCsv(kind: string, file: string, options: ImportCommandOptions): Promise<void> {
  if (!IMPORT_KINDS.includes(kind as ImportKind))
    throw new Error(`cannot import "${kind}": choose ${IMPORT_KINDS.join(', ')}`);
  const { size } = await stat(file);
  const mapping = parseMapping(options.map);
  const { runtime } = await openFromEnvironment('import');
  const application = await openApplication({ eventStore: runtime.eventStore, readModel: runtime.readModel });
  const reportPath = options.errors ?? `${file}.errors.csv`;
  // The report's columns: where and why, then the rejected row under the file's own headers;
  // cells a spreadsheet would evaluate are neutralised (a rejected row is whatever the file held).
  const report = csvWriter();
  const reportWritten = finished(report.pipe(createWriteStream(reportPath)));
  const bar = new SingleBar(
    { format: ' {bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}', stream: process.stderr },
    Presets.shades_classic,
  );
  const started = Date.now();
  try {
    bar.start(size, 0, { rows: 0, rate: 0 });
    const stats = await application.get(CsvImporter).run(createReadStream(file), {
      kind: kind as ImportKind,
      principal: { userId: 'cli-import', role: 'admin' },
      mapping,
      onHeader: (columns) => report.write(['row', 'field', 'message', ...columns]),
      onRowError: ({ row, field, message, values }) => report.write([row, field, message, ...values]),
      onProgress: (s) =>
        bar.update(s.bytes, {
          rows: s.rows,
          rate: Math.round(s.rows / Math.max(0.001, (Date.now() - started) / 1000)),
        }),
    });
    bar.stop();
    console.log(
      `${stats.rows} rows: ${stats.new} new, ${stats.alreadyPresent} already present, ${stats.rejected} rejected${stats.rejected ? ` (see ${reportPath})` : ''}`,
    );
    process.exitCode = stats.rejected > 0 ? 1 : 0;
  } catch (error) {
    bar.stop();
    if (!(error instanceof InvalidInputError)) throw error;
    console.error(`cannot import ${file}: ${error.message}`);
    process.exitCode = 2;
  } finally {
    report.end();
    await reportWritten;
    if (process.exitCode !== 1) await rm(reportPath, { force: true });
    await application.close();
    await runtime.close();
  }
}
