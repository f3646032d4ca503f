import type { Logger } from 'pino';
import { startAlertWorker } from '@salesledger/alert-worker/alert-worker';
import { createApiApp } from '@salesledger/api/create-api-app';
import { demoAnchor, seedDemoOrganisation } from '@salesledger/demo/demo-organisation';
import type { Runtime } from '@salesledger/platform/runtime';
import { runService } from '@salesledger/platform/service';
import { startProjector } from '@salesledger/projector/projector';
import { startRelay } from '@salesledger/relay/relay';

export function start(options: { demo: boolean }): Promise<void> {
  return runService('salesledger', async (runtime, log) => {
    // With Kafka on, one process still runs it all: the relay feeds the topic the projector reads.
    const relay = runtime.kafka ? await startRelay(runtime, log.child({ app: 'relay' })) : undefined;
    const projector = await startProjector(runtime, log.child({ app: 'projector' }));
    const api = await createApiApp(runtime, log.child({ app: 'api' }));
    await api.listen(runtime.config.port);
    const { port } = api.getHttpServer().address() as { port: number };
    // On stdout, not in the log: no log line ever carries a token.
    if (runtime.bootstrapTokenGenerated)
      process.stdout.write(
        `admin token (also in ${runtime.config.dataDir}/bootstrap-token): ${runtime.bootstrapToken}\n`,
      );
    log.info(`listening on http://localhost:${port} (API docs at /docs)`);
    const seeding = options.demo ? seedDemo(runtime, log.child({ app: 'demo' })) : undefined;
    // A year of history arriving is no one lagging: the rules look at the demo once it is all there.
    const alertWorker = (seeding?.done ?? Promise.resolve()).then(() =>
      startAlertWorker(runtime, log.child({ app: 'alert-worker' })),
    );
    return async () => {
      await seeding?.stop();
      await api.close();
      await Promise.all([projector(), (await alertWorker)(), relay?.()]);
    };
  });
}

/** Embedded mode only: a store of someone's real data is never touched. Runs behind the live API. */
function seedDemo(runtime: Runtime, log: Logger) {
  if (runtime.config.eventStore.kind !== 'embedded') return undefined;
  const stop = new AbortController();
  const done = (async () => {
    const anchor = await demoAnchor(runtime.eventStore, new Date());
    if (!anchor) return;
    log.info('seeding the demo organisation (start with --no-demo to skip)');
    const events = await seedDemoOrganisation(runtime.eventStore, anchor, stop.signal);
    if (!stop.signal.aborted) log.info(`demo organisation ready: ${events} events`);
  })().catch((error: unknown) => log.error({ err: error }, 'demo seeding failed; it resumes at the next start'));
  return {
    done,
    stop: async () => {
      stop.abort();
      await done;
    },
  };
}
