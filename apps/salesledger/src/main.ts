import { Command } from 'commander';
import { startAlertWorker } from '@salesledger/alert-worker/alert-worker';
import { createApiApp } from '@salesledger/api/create-api-app';
import { startProjector } from '@salesledger/projector/projector';
import { auditEventStore } from '@salesledger/event-store/audit';
import { openFromEnvironment, runService } from '@salesledger/platform/service';

const program = new Command('salesledger').description('Event-sourced sales operations').showHelpAfterError();

program
  .command('start')
  .description('run the API, projector and alert worker in one process')
  .action(() =>
    runService('salesledger', async (runtime, log) => {
      const projector = await startProjector(runtime, log.child({ app: 'projector' }));
      const alertWorker = await startAlertWorker(runtime, log.child({ app: 'alert-worker' }));
      const api = await createApiApp(runtime);
      await api.listen(runtime.config.port);
      log.info(`listening on ${await api.getUrl()} (API docs at /docs)`);
      return async () => {
        await api.close();
        await Promise.all([projector(), alertWorker()]);
      };
    }),
  );

program
  .command('audit')
  .description('tamper evidence')
  .command('verify')
  .description('walk every stream, check its hash chain, name each altered, removed or reordered event')
  .action(async () => {
    const runtime = await openFromEnvironment('audit');
    try {
      const report = await auditEventStore(runtime.eventStore, runtime.streamHeads?.());
      for (const f of report.findings) {
        console.log(`${f.kind.toUpperCase()} stream=${f.streamId} revision=${f.revision} event=${f.eventId ?? '-'}: ${f.detail}`);
      }
      console.log(`checked ${report.events} events in ${report.streams} streams: ${report.findings.length} problems`);
      process.exitCode = report.findings.length > 0 ? 1 : 0;
    } finally {
      await runtime.close();
    }
  });

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
