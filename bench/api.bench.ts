/**
 * HTTP write path under load: POST /v1/visits and POST /v1/orders against, in the same app and run,
 * a bare route that appends the same event with no validation, auth or decider. 50 connections
 * (autocannon), each request a new id, so every request appends. Each route runs twice: as fast as
 * it goes (throughput), then held at half the bare route's peak rate (latency under a normal load,
 * and the process's CPU time per request, steadier from run to run than the peak rates).
 *
 *   npm run bench:api        (BENCH_SECONDS per route, default 15; BENCH_CONNECTIONS, default 50)
 *
 * Embedded PostgreSQL in a temp dir, or BENCH_DATABASE_URL. Exits 0 whether or not the goal is met.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pino from 'pino';
import { Body, Controller, Inject, Module, Post, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiModule } from '@salesledger/api/api.module';
import { Public } from '@salesledger/api/auth/public.decorator';
import { EventStore } from '@salesledger/domain/event-store.port';
import type { Runtime } from '@salesledger/platform/runtime';
import { loadConfig } from '@salesledger/platform/config';
import { startEmbeddedPostgres } from '@salesledger/platform/embedded-postgres.server';
import { openRuntime } from '@salesledger/platform/runtime';

const TOKEN = 'bench-admin-token-0123456789';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

type Route = { name: string; path: string; body: () => object };

const routes: Route[] = [
  {
    name: 'POST /v1/visits',
    path: '/v1/visits',
    body: () => ({
      id: randomUUID(),
      repId: 'rep-1',
      customerId: 'cust-1',
      occurredAt: '2026-03-02T09:00:00Z',
      kind: 'follow-up',
    }),
  },
  {
    name: 'POST /v1/orders',
    path: '/v1/orders',
    body: () => ({
      id: randomUUID(),
      repId: 'rep-1',
      customerId: 'cust-1',
      placedAt: '2026-03-02T10:00:00Z',
      lines: [{ sku: 'A-1', category: 'tools', quantity: 3, unitPrice: 19.99, discount: 0.1 }],
    }),
  },
];

/** The baseline: same app and store, the same event appended, none of the command path. */
@Controller('bench/bare')
class BareController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @Post()
  @Public()
  async append(@Body() body: { id: string }) {
    const metadata = {
      actor: { userId: 'bench', role: 'admin' as const },
      correlationId: body.id,
      causationId: body.id,
      recordedAt: new Date().toISOString(),
    };
    await this.store.append(
      `visit-${body.id}`,
      [{ eventId: randomUUID(), type: 'VisitLogged', data: body, metadata }],
      'no-stream',
    );
    return { id: body.id };
  }
}

@Module({})
class BenchModule {
  static register(runtime: Runtime): DynamicModule {
    return {
      module: BenchModule,
      imports: [ApiModule.register(runtime)],
      controllers: [BareController],
      providers: [{ provide: EventStore, useValue: runtime.eventStore }],
    };
  }
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'salesledger-bench-api-'));
  await chmod(dataDir, 0o755);
  const embedded = process.env.BENCH_DATABASE_URL ? undefined : await startEmbeddedPostgres(dataDir);
  // A failed run must not leave its PostgreSQL behind.
  try {
    const url = process.env.BENCH_DATABASE_URL ?? (embedded?.url as string);
    // One token drives every connection: its per-minute budget would cap the figures, not the path.
    const runtime = await openRuntime(
      loadConfig({
        EVENT_STORE_URL: url,
        SALESLEDGER_BOOTSTRAP_TOKEN: TOKEN,
        LOG_LEVEL: 'silent',
        RATE_LIMIT_PER_MINUTE: '0',
      }),
      pino({ level: 'silent' }),
    );
    const app = await NestFactory.create(BenchModule.register(runtime), { logger: ['error'], abortOnError: false });
    // The baseline: same app, same store, same event, none of the command path.
    await app.listen(0, '127.0.0.1');
    const base = await app.getUrl();
    const post = (path: string, body: object) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await post('/v1/teams', { id: 'north', name: 'North' });
    await post('/v1/reps', { id: 'rep-1', name: 'Ann', email: 'ann@example.com', teamId: 'north' });
    await post('/v1/customers', { id: 'cust-1', name: 'Acme', repId: 'rep-1' });

    const results = [];
    for (const route of [...routes, { name: 'bare append (baseline)', path: '/bench/bare', body: routes[0]!.body }]) {
      await load(base, route, 3); // warm-up
      results.push({ route, result: await load(base, route, SECONDS) });
    }
    const baseline = results.at(-1)!.result;
    const halfRate = Math.round(baseline.requests.average / 2);
    // Held at one rate, each route's CPU per request (this process: the app, and the load generator
    // alike for every route) says what its path costs, less swayed by the machine's other load
    // than its peak rate is.
    const held: { result: autocannon.Result; cpuPerRequest: number }[] = [];
    for (const { route } of results) {
      const cpu = process.cpuUsage();
      const result = await load(base, route, SECONDS, halfRate);
      const { user, system } = process.cpuUsage(cpu);
      held.push({ result, cpuPerRequest: (user + system) / result.requests.total });
    }
    const bareCpu = held.at(-1)!.cpuPerRequest;
    console.log(
      `\n${CONNECTIONS} connections, ${SECONDS} s per route, ${process.env.BENCH_DATABASE_URL ? 'BENCH_DATABASE_URL' : 'embedded PostgreSQL'}`,
    );
    console.log('route                      req/s     p50 ms  p99 ms  non-2xx  vs bare');
    for (const { route, result } of results) {
      const ratio = result.requests.average / baseline.requests.average;
      console.log(
        `${route.name.padEnd(25)} ${result.requests.average.toFixed(0).padStart(7)}  ${String(result.latency.p50).padStart(8)}  ${String(result.latency.p99).padStart(6)}  ${String(result.non2xx).padStart(7)}  ${ratio.toFixed(2)}×`,
      );
    }
    console.log(`\nheld at ${halfRate} req/s (half the bare route's peak)`);
    console.log('route                      req/s     p50 ms  p99 ms  non-2xx  CPU µs/req  × bare');
    results.forEach(({ route }, i) => {
      const { result, cpuPerRequest } = held[i]!;
      console.log(
        `${route.name.padEnd(25)} ${result.requests.average.toFixed(0).padStart(7)}  ${String(result.latency.p50).padStart(8)}  ${String(result.latency.p99).padStart(6)}  ${String(result.non2xx).padStart(7)}  ${cpuPerRequest.toFixed(0).padStart(10)}  ${(cpuPerRequest / bareCpu).toFixed(2)}×`,
      );
    });
    console.log('');
    results.slice(0, -1).forEach(({ route, result }, i) => {
      const ratio = result.requests.average / baseline.requests.average;
      const p99 = held[i]!.result.latency.p99;
      const pass = ratio >= 0.85 && p99 < 50;
      console.log(
        `${route.name}: ${ratio.toFixed(2)}× bare (goal ≥ 0.85×), p99 ${p99} ms at half the bare peak (goal < 50 ms): ${pass ? 'PASS' : 'MISS'}`,
      );
    });
    await app.close();
    await runtime.close();
  } finally {
    await embedded?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Requests as fast as the connections go, or held at `overallRate` requests per second. */
function load(base: string, route: Route, duration: number, overallRate?: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${base}${route.path}`,
    method: 'POST',
    connections: CONNECTIONS,
    duration,
    overallRate,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(route.body()) }) }],
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
