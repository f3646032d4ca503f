import { Pool } from 'pg';
import pino from 'pino';
import { startAlertDelivery } from '@salesledger/alert-worker/alert-delivery';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';

/** The alert delivery of one worker process, on OUTBOX_DATABASE_URL, configured from the environment. */
const url = process.env.OUTBOX_DATABASE_URL as string;
const store = new PostgresEventStore(new Pool({ connectionString: url }), { pollIntervalMs: 10 });
const readModel = new Pool({ connectionString: url });
startAlertDelivery({ eventStore: store, readModel }, pino({ level: 'silent' }), {
  dispatchIntervalMs: 10,
  sendIntervalMs: 10,
});
process.stdout.write('alert delivery started\n');
