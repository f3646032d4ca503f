import { Presets, SingleBar } from 'cli-progress';
import { assertProjectionName, rebuildReadModel } from '@salesledger/read-model/rebuild';
import { openFromEnvironment } from '@salesledger/platform/service';

/** `salesledger projections rebuild [name]`: replay into fresh tables, swap them in; Ctrl-C and rerun resumes. */
export async function rebuildProjections(name?: string): Promise<void> {
  assertProjectionName(name);
  const { runtime } = await openFromEnvironment('projections-rebuild');
  const stop = new AbortController();
  const interrupt = () => {
    // The command's own answer to Ctrl-C, so it shows whatever LOG_LEVEL says.
    console.error('stopping after the batch in hand; run the command again to resume');
    stop.abort();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const bar = new SingleBar(
    {
      format: ' {bar} {percentage}% | {value}/{total} events | {rate} events/s | ETA {eta_formatted}',
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  const started = Date.now();
  try {
    bar.start(1, 0, { rate: 0 });
    const swapped = await rebuildReadModel(runtime.eventStore, runtime.readModel, runtime.databaseUrl, {
      signal: stop.signal,
      onProgress: ({ applied, total }) => {
        bar.setTotal(Math.max(1, total));
        bar.update(applied, { rate: Math.round(applied / Math.max(0.001, (Date.now() - started) / 1000)) });
      },
    });
    bar.stop();
    console.log(swapped ? 'read model rebuilt and swapped in' : 'rebuild interrupted; run it again to resume');
    process.exitCode = swapped ? 0 : 1;
  } finally {
    bar.stop();
    await runtime.close();
  }
}
