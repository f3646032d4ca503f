import { withPgClient } from '@salesledger/postgres/client';
import { cliEnv, startServer } from '../support/cli';
import { createDatabase, postgresServers } from '../support/postgres-servers';

describe.each(postgresServers())('salesledger start with EVENT_STORE_URL on $name', (server) => {
  it('serves the API from that database and never seeds the demo organisation into it', async () => {
    const { url, drop } = await createDatabase(server);
    try {
      const running = await startServer(
        cliEnv({ EVENT_STORE_URL: url, SALESLEDGER_BOOTSTRAP_TOKEN: 'a-long-enough-admin-token' }),
      );
      expect((await fetch(`${running.url}/health`)).status).toBe(200);
      running.child.kill('SIGTERM');
      expect(await running.exited).toBe(0);
      const { rows } = await withPgClient(url, (client) =>
        client.query('SELECT count(*)::int AS n FROM event_store.events'),
      );
      expect(rows[0].n).toBe(0);
    } finally {
      await drop();
    }
  });
});
