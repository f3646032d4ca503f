import { openPool } from '@salesledger/postgres/pool';
import { postgresServers } from '../support/postgres-servers';

describe.each(postgresServers())('a pool from openPool, on $name', (server) => {
  it('never JIT-compiles: every session has JIT off from its first query on', async () => {
    const pool = openPool(server.url, () => undefined, 3);
    try {
      // Three queries at once: three new sessions, each asked at once after connecting.
      const first = await Promise.all([1, 2, 3].map(() => pool.query<{ jit: string }>('SHOW jit')));
      expect(first.map((result) => result.rows[0]?.jit)).toEqual(['off', 'off', 'off']);

      // With every threshold at zero, a server that can compile (LLVM installed) would compile this.
      const client = await pool.connect();
      try {
        await client.query('SET jit_above_cost = 0');
        const { rows } = await client.query<{ 'QUERY PLAN': [Record<string, unknown>] }>(
          'EXPLAIN (ANALYZE, FORMAT JSON) SELECT sum(n) FROM generate_series(1, 1000) n',
        );
        expect(rows[0]?.['QUERY PLAN'][0]).not.toHaveProperty('JIT');
      } finally {
        client.release(true);
      }
    } finally {
      await pool.end();
    }
  });
});
