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
    console.error('stopping; run the command again to resume');
    stop.abort();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const bar = new SingleBar(
    {
      format: ' {bar} {percentage}% | {value}/{total} log events | {rate} events/s | ETA {remaining}',
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  const started = Date.now();
  try {
    bar.start(1, 0, { rate: 0, remaining: '-' });
    const swapped = await rebuildReadModel(runtime.eventStore, runtime.readModel, runtime.databaseUrl, {
      signal: stop.signal,
      onProgress: ({ applied, total }) => {
        const rate = applied / Math.max(0.001, (Date.now() - started) / 1000);
        bar.setTotal(Math.max(1, total));
        bar.update(applied, { rate: Math.round(rate), remaining: eta(total - applied, rate) });
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

/** Time left at the rate so far, or '-' before there is a rate (the bar's own ETA prints 'NFs' then). */
function eta(events: number, perSecond: number): string {
  if (!(perSecond > 0) || !Number.isFinite(events / perSecond)) return '-';
  const seconds = Math.ceil(Math.max(0, events) / perSecond);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}
