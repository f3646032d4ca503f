import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { Gauge, register } from 'prom-client';
import { signAnchor } from '@salesledger/domain/audit-anchor';
import type { Clock } from '@salesledger/domain/clock.port';
import { LogVerifier, type LogFinding, type LogMark, type SealedLog } from '@salesledger/domain/log-verification';
import { loadAuditKey } from '@salesledger/platform/audit-key';
import type { Runtime } from '@salesledger/platform/runtime';
import { schedule } from '@salesledger/platform/schedule';

export interface AuditWatchOptions {
  readonly clock: Clock;
  /** How often to check what was sealed since the last look. */
  readonly checkEveryMs?: number;
}

/**
 * Checks the whole log's chain as it grows (every entry once, plus a full walk before each anchor)
 * and publishes a signed anchor periodically to a directory and, with Kafka, to the audit topic.
 * A break is kept until restart: /health turns degraded with the failing position and a gauge
 * goes to 1. Nothing is anchored once the chain is broken, so no anchor vouches for a forged log.
 */
export function startAuditWatch(runtime: Runtime, log: Logger, options: AuditWatchOptions): { stop(): Promise<void> } {
  const sealed = runtime.sealedLog;
  if (!sealed) {
    log.info('this event store keeps no chain over the whole log: continuous audit is off');
    return { stop: async () => undefined };
  }
  const metrics = auditMetrics();
  let verified: LogMark = { seq: 0, chain: null };
  let broken: LogFinding | undefined;
  const walk = async (from: LogMark) => {
    if (broken) return;
    await sealed.sealAll();
    const verifier = new LogVerifier(undefined, from);
    for await (const entry of sealed.entries(from.seq)) verifier.check(entry);
    const problem = verifier.problems[0] ?? headProblem(verifier.mark, await sealed.head());
    if (problem) return breakFound(problem);
    verified = verifier.mark;
    metrics.verified.set(verified.seq);
  };
  const breakFound = (problem: LogFinding) => {
    broken = problem;
    metrics.broken.set(1);
    runtime.health.report('auditChain', { seq: problem.seq, kind: problem.kind, detail: problem.detail });
    log.error({ seq: problem.seq, kind: problem.kind }, `audit chain broken: ${problem.detail}`);
  };
  const check = schedule('audit chain check', () => walk(verified), options.checkEveryMs ?? 5_000, log);
  const anchors = schedule(
    'audit anchor',
    async () => {
      await walk({ seq: 0, chain: null });
      if (!broken) await publishAnchor(runtime, sealed, options.clock, log);
    },
    runtime.config.audit.anchorEveryMinutes * 60_000,
    log,
  );
  return { stop: async () => void (await Promise.all([check.stop(), anchors.stop()])) };
}

/** A seal head behind what was already verified, or off its chain, was set back by hand. */
function headProblem(mark: LogMark, head: LogMark): LogFinding | undefined {
  if (head.seq > mark.seq || (head.seq === mark.seq && head.chain === mark.chain)) return undefined;
  return { kind: 'removed', seq: head.seq + 1, detail: `the seal head was set back to ${head.seq}` };
}

async function publishAnchor(runtime: Runtime, sealed: SealedLog, clock: Clock, log: Logger): Promise<void> {
  const head = await sealed.head();
  const now = clock.now();
  const key = await loadAuditKey(runtime.config.dataDir);
  const text = JSON.stringify(signAnchor(head, now.toISOString(), key.privateKey));
  const dir = runtime.config.audit.anchorDir;
  await mkdir(dir, { recursive: true });
  const file = join(dir, `anchor-${String(head.seq).padStart(12, '0')}-${now.toISOString().replace(/[:.]/g, '')}.json`);
  await writeFile(file, `${text}\n`, { flag: 'wx' });
  await runtime.kafka?.transport.publish(runtime.kafka.names.audit, [{ key: 'anchor', value: text }]);
  log.info({ seq: head.seq, file }, 'audit anchor published');
}

function auditMetrics() {
  const gauge = (name: string, help: string) =>
    (register.getSingleMetric(name) as Gauge | undefined) ?? new Gauge({ name, help });
  return {
    broken: gauge('salesledger_audit_chain_broken', '1 once the whole-log chain failed verification'),
    verified: gauge('salesledger_audit_verified_seq', 'Last log entry whose chain link was verified'),
  };
}
