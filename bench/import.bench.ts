/**
 * CSV import in bounded memory: imports a generated visits file of BENCH_ROWS rows (default 30,000)
 * through `salesledger import` on a fresh embedded PostgreSQL, sampling the importer's resident
 * memory, and, in the same run, a file a tenth the size: the peaks should be alike.
 *
 *   npm run bench:import
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { loadConfig } from '@salesledger/platform/config';
import { startEmbeddedPostgres } from '@salesledger/platform/embedded-postgres.server';
import { openRuntime } from '@salesledger/platform/runtime';
import { openApplication } from '@salesledger/sales/application.module';
import { RegisterCustomer } from '@salesledger/sales/customers/customers.commands';
import { CreateTeam, HireRep } from '@salesledger/sales/organisation/organisation.commands';
import { CommandBus } from '@nestjs/cqrs';

const ROWS = Number(process.env.BENCH_ROWS ?? 30_000);
// Compiled to dist/bench/, two levels below the project.
const BIN = resolve(__dirname, '../../bin/salesledger.js');
const admin = { userId: 'bench', role: 'admin' as const };

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'salesledger-bench-import-'));
  await chmod(dir, 0o755);
  const embedded = await startEmbeddedPostgres(join(dir, 'data'));
  // A failed run must not leave its PostgreSQL behind.
  try {
    const runtime = await openRuntime(
      loadConfig({ EVENT_STORE_URL: embedded.url, LOG_LEVEL: 'silent' }),
      pino({ level: 'silent' }),
    );
    const application = await openApplication({ eventStore: runtime.eventStore, readModel: runtime.readModel });
    const commands = application.get(CommandBus);
    await commands.execute(new CreateTeam(admin, { id: 'north', name: 'North' }));
    await commands.execute(new HireRep(admin, { id: 'rep-1', name: 'Ann', email: 'ann@example.com', teamId: 'north' }));
    const customer = { id: 'cust-1', name: 'Acme', repId: 'rep-1', status: 'customer' as const };
    await commands.execute(new RegisterCustomer(admin, customer));
    await application.close();
    await runtime.close();

    const results = [];
    for (const rows of [Math.round(ROWS / 10), ROWS]) {
      const file = join(dir, `visits-${rows}.csv`);
      const lines = ['id,repId,customerId,occurredAt,kind'];
      for (let i = 0; i < rows; i++) lines.push(`visit-${rows}-${i},rep-1,cust-1,2026-03-02T09:00:00Z,follow-up`);
      await writeFile(file, `${lines.join('\n')}\n`);
      results.push({ rows, ...(await importWithMemory(file, embedded.url)) });
    }
    console.log('\nrows       seconds  rows/s  peak RSS MB');
    for (const r of results)
      console.log(
        `${String(r.rows).padStart(7)}  ${r.seconds.toFixed(1).padStart(8)}  ${String(Math.round(r.rows / r.seconds)).padStart(6)}  ${r.peakMb.toFixed(0).padStart(11)}`,
      );
    const [small, large] = results as [(typeof results)[0], (typeof results)[0]];
    console.log(
      `\npeak memory, ${large.rows} rows vs ${small.rows}: ${(large.peakMb / small.peakMb).toFixed(2)}× (bounded: close to 1×)`,
    );
  } finally {
    await embedded.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function importWithMemory(file: string, url: string): Promise<{ seconds: number; peakMb: number }> {
  return new Promise((done, fail) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, 'import', 'visits', file], {
      env: { ...process.env, EVENT_STORE_URL: url },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    let peak = 0;
    const sampler = setInterval(() => {
      try {
        const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (rss) peak = Math.max(peak, Number(rss[1]) / 1024);
      } catch {
        // the process has just exited
      }
    }, 200);
    child.on('error', fail);
    child.on('exit', () => {
      clearInterval(sampler);
      done({ seconds: (Date.now() - started) / 1000, peakMb: peak });
    });
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
