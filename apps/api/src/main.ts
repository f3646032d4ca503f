import { runService } from '@salesledger/platform/service';
import { createApiApp } from './create-api-app';

/** The API alone, for deployments that run each app as its own process. */
void runService('api', async (runtime, log) => {
  const app = await createApiApp(runtime, log);
  await app.listen(runtime.config.port);
  return () => app.close();
});
