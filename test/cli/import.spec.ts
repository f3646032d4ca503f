import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN, startApi, type ApiUnderTest } from '../support/api-app';
import { CSV_COLUMNS, IMPORT_KINDS } from '@salesledger/sales/imports/csv-columns';
import { cliEnv, runCli } from '../support/cli';
import { postgresServers } from '../support/postgres-servers';

describe.each(postgresServers())('CSV import on $name', (server) => {
  let api: ApiUnderTest;
  let dir: string;
  let url: string;

  beforeAll(async () => {
    api = await startApi(server);
    url = (api.runtime.config.eventStore as { url: string }).url;
    dir = await mkdtemp(join(tmpdir(), 'salesledger-import-'));
    await api.call('POST', '/v1/teams', undefined, { id: 'north', name: 'North' });
    for (const id of ['rep-1', 'rep-2'])
      await api.call('POST', '/v1/reps', undefined, { id, name: id, email: `${id}@example.com`, teamId: 'north' });
  });
  afterAll(() => api.close());

  const importFile = async (kind: string, name: string, csv: string, ...args: string[]) => {
    const file = join(dir, name);
    await writeFile(file, csv);
    return { file, ...(await runCli(['import', kind, file, ...args], cliEnv({ EVENT_STORE_URL: url }))) };
  };

  it('imports the good rows of mapped columns, reports the bad ones by line with their values, and counts a re-import as already present', async () => {
    const csv = [
      'Customer No,Name,Owner,Status,Region',
      'c-1,Acme,rep-1,customer,EU',
      'c-2,Globex,rep-2,prospect,EU',
      'c-3,Initech,nobody,customer,US',
      'c-4,Umbrella,rep-1,bankrupt,US',
      'c-5,Hooli,rep-2,,US',
    ].join('\n');
    const mapping = ['--map', 'Customer No=id', '--map', 'Name=name', '--map', 'Owner=repId', '--map', 'Status=status'];
    const before = await api.eventCount();
    const first = await importFile('customers', 'customers.csv', csv, ...mapping);
    expect(first.stdout).toContain('5 rows: 3 new, 0 already present, 2 rejected');
    expect(first.code).toBe(1);
    expect(await api.eventCount()).toBe(before + 3);
    const report = await readFile(`${first.file}.errors.csv`, 'utf8');
    const [header, ...rejected] = report.split('\n').filter(Boolean);
    expect(header).toBe('row,field,message,Customer No,Name,Owner,Status,Region');
    // Rows are imported in parallel, so the report is in completion order.
    expect(rejected.sort()).toEqual([
      '4,row,rep nobody does not exist,c-3,Initech,nobody,customer,US',
      expect.stringMatching(/^5,status,.+,c-4,Umbrella,rep-1,bankrupt,US$/),
    ]);

    const second = await importFile('customers', 'customers.csv', csv, ...mapping);
    expect(second.stdout).toContain('5 rows: 0 new, 3 already present, 2 rejected');
    expect(await api.eventCount()).toBe(before + 3);
  });

  it('reads an order from consecutive rows, one per line, and points at the bad line', async () => {
    await api.call('POST', '/v1/customers', undefined, { id: 'c-orders', name: 'Orders Inc', repId: 'rep-1' });
    const csv = [
      'id,repId,customerId,placedAt,sku,category,quantity,unitPrice,discount',
      'o-1,rep-1,c-orders,2026-03-02T10:00:00Z,A,tools,2,10.00,',
      'o-1,rep-1,c-orders,2026-03-02T10:00:00Z,B,parts,1,5.50,0.1',
      'o-2,rep-1,c-orders,2026-03-03T10:00:00Z,A,tools,1,10.00,',
      'o-2,rep-1,c-orders,2026-03-03T10:00:00Z,C,parts,lots,1.00,',
    ].join('\n');
    const { code, stdout, file } = await importFile('orders', 'orders.csv', csv);
    expect(stdout).toContain('4 rows: 2 new, 0 already present, 2 rejected');
    expect(code).toBe(1);
    expect(await readFile(`${file}.errors.csv`, 'utf8')).toMatch(
      /^5,lines\.1\.quantity,.+,o-2,rep-1,c-orders,2026-03-03T10:00:00Z,C,parts,lots,1\.00,$/m,
    );
    const placed = (await api.runtime.eventStore.readStream('order-o-1'))[0];
    expect(placed?.data).toMatchObject({ netAmount: '24.95', lines: [{ sku: 'A' }, { sku: 'B' }] });
  });

  it('writes the error report so a spreadsheet shows formulas as text and negative numbers as numbers', async () => {
    const csv = [
      'id,repId,customerId,placedAt,sku,category,quantity,unitPrice,discount',
      'o-f1,=1+2,c-orders,2026-03-04T10:00:00Z,@SUM(A1),+cmd,-2,-1.50,',
    ].join('\n');
    const { code, file } = await importFile('orders', 'formulas.csv', csv);
    expect(code).toBe(1);
    const [, row] = (await readFile(`${file}.errors.csv`, 'utf8')).split('\n');
    expect(row).toMatch(/,o-f1,'=1\+2,c-orders,2026-03-04T10:00:00Z,'@SUM\(A1\),'\+cmd,-2,-1\.50,$/);
  });

  it('refuses a file without a required column before importing anything, and leaves no report', async () => {
    const before = await api.eventCount();
    const { code, stderr, file } = await importFile('visits', 'visits.csv', 'id,repId\nv-1,rep-1\n');
    expect(code).toBe(2);
    expect(stderr).toContain('customerId: has no column (name one with --map column=field)');
    expect(existsSync(`${file}.errors.csv`)).toBe(false);
    expect(await api.eventCount()).toBe(before);
  });

  it('stops an HTTP import when its client goes; what went in stays, and a re-import counts it as already present', async () => {
    const rows = 6000;
    const csv = ['id,name,repId', ...Array.from({ length: rows }, (_, i) => `c-gone-${i},Gone ${i},rep-1`)].join('\n');
    const before = await api.eventCount();
    const url = new URL('/v1/imports/customers', await api.app.getUrl());
    // Chunked and never ended: the whole file is sent, then the client closes the connection mid-upload.
    const upload = request(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
    });
    upload.on('error', () => undefined);
    upload.write(csv);
    await waitFor(async () => (await api.eventCount()) > before);
    upload.destroy();

    // Rows in flight finish after the stop; settled once the count holds still for three seconds.
    let appended = await api.eventCount();
    let stillFor = 0;
    await waitFor(async () => {
      const now = await api.eventCount();
      stillFor = now === appended ? stillFor + 1 : 0;
      appended = now;
      return stillFor >= 3;
    }, 1000);
    expect(appended - before).toBeGreaterThan(0);
    expect(appended - before).toBeLessThan(rows / 2);

    const again = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
      body: csv,
    });
    expect(await again.json()).toMatchObject({
      rows,
      new: rows - (appended - before),
      alreadyPresent: appended - before,
    });
    expect(await api.eventCount()).toBe(before + rows);
  }, 120_000);

  it('takes the same CSV over HTTP, streamed, with the rejected rows in the answer', async () => {
    await api.call('POST', '/v1/customers', undefined, { id: 'c-visits', name: 'Visits Inc', repId: 'rep-2' });
    const base = await api.app.getUrl();
    const csv = [
      'visit,rep,customer,occurredAt,kind',
      'v-1,rep-2,c-visits,2026-03-02T09:00:00Z,follow-up',
      'v-2,rep-2,c-visits,not-a-date,follow-up',
    ].join('\n');
    const upload = () =>
      fetch(`${base}/v1/imports/visits?map=visit=id&map=rep=repId&map=customer=customerId`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
        body: csv,
      });
    const response = await upload();
    expect(response.status).toBe(201);
    const rejectedRow = {
      row: 3,
      field: 'occurredAt',
      values: ['v-2', 'rep-2', 'c-visits', 'not-a-date', 'follow-up'],
    };
    expect(await response.json()).toMatchObject({
      rows: 2,
      new: 1,
      alreadyPresent: 0,
      rejected: 1,
      errors: [rejectedRow],
    });
    const again = await upload();
    expect(await again.json()).toMatchObject({
      rows: 2,
      new: 0,
      alreadyPresent: 1,
      rejected: 1,
      errors: [rejectedRow],
    });
    expect((await api.call('POST', '/v1/imports/invoices', undefined, 'a,b')).status).toBe(400);

    const malformed = [
      'id,repId,customerId,occurredAt,kind',
      'v-3,rep-2,c-visits,2026-03-02T09:00:00Z,follow-up',
      'v"4,rep-2,c-visits,2026-03-02T09:00:00Z,follow-up',
    ].join('\n');
    const answer = await fetch(`${base}/v1/imports/visits`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
      body: malformed,
    });
    expect(answer.status).toBe(201);
    expect(await answer.json()).toMatchObject({
      rows: 2,
      new: 1,
      rejected: 1,
      // A row the parser cannot split into values is shown as the text it read, up to the stray quote.
      errors: [
        {
          row: 3,
          field: 'row',
          message: expect.stringContaining('Quote'),
          values: ['v"'],
        },
      ],
    });
  });
});

describe('import --help', () => {
  it('lists every column of every kind: required or optional, its format and an example', async () => {
    const { code, stdout } = await runCli(['import', '--help'], cliEnv({}));
    expect(code).toBe(0);
    for (const kind of IMPORT_KINDS) {
      expect(stdout).toContain(`${kind}: ${CSV_COLUMNS[kind].rows}`);
      for (const { name, required, example } of CSV_COLUMNS[kind].columns)
        expect(stdout).toMatch(
          new RegExp(`^  ${name} +${required ? 'required' : 'optional'}  .+\\(e\\.g\\. ${example}\\)$`, 'm'),
        );
    }
  });
});

/** Polls `done` every `everyMs` until it holds, for at most 30 s. */
async function waitFor(done: () => Promise<boolean>, everyMs = 20): Promise<void> {
  for (const started = Date.now(); !(await done());) {
    if (Date.now() - started > 30_000) throw new Error('still not so after 30 s');
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
