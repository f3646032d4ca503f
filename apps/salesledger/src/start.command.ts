import { startAlertWorker } from '@salesledger/alert-worker/alert-worker';
import { createApiApp } from '@salesledger/api/create-api-app';
import { runService } from '@salesledger/platform/service';
import { startProjector } from '@salesledger/projector/projector';

export function start(): Promise<void> {
  return runService('salesledger', async (runtime, log) => {
    const projector = await startProjector(runtime, log.child({ app: 'projector' }));
    const alertWorker = await startAlertWorker(runtime, log.child({ app: 'alert-worker' }));
    const api = await createApiApp(runtime);
    await api.listen(runtime.config.port);
    const { port } = api.getHttpServer().address() as { port: number };
    log.info(`listening on http://localhost:${port} (API docs at /docs)`);
    return async () => {
      await api.close();
      await Promise.all([projector(), alertWorker()]);
    };
  });
}
