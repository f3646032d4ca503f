import { readFile } from 'node:fs/promises';
import { openAnchor } from '@salesledger/domain/audit-anchor';
import { auditEventStore, type AuditReport } from '@salesledger/event-store/audit';
import { loadAuditKey } from '@salesledger/platform/audit-key';
import { openFromEnvironment } from '@salesledger/platform/service';

/** Exit code 1 when anything was tampered with, so schedulers and CI can alert on it. */
export async function auditVerify(options: { anchor?: string }): Promise<void> {
  const { runtime } = await openFromEnvironment('audit');
  try {
    const anchor = options.anchor
      ? openAnchor(await readFile(options.anchor, 'utf8'), (await loadAuditKey(runtime.config.dataDir)).privateKey)
      : undefined;
    const report = await auditEventStore(runtime.eventStore, {
      heads: runtime.streamHeads,
      log: runtime.sealedLog,
      anchor,
    });
    printReport(report, anchor?.seq);
    process.exitCode = report.findings.length + report.logFindings.length > 0 ? 1 : 0;
  } finally {
    await runtime.close();
  }
}

function printReport(report: AuditReport, anchorSeq: number | undefined): void {
  for (const f of report.findings) {
    console.log(
      `${f.kind.toUpperCase()} stream=${f.streamId} revision=${f.revision} event=${f.eventId ?? '-'}: ${f.detail}`,
    );
  }
  for (const f of report.logFindings) console.log(`${f.kind.toUpperCase()} seq=${f.seq}: ${f.detail}`);
  const problems = report.findings.length + report.logFindings.length;
  console.log(`checked ${report.events} events in ${report.streams} streams: ${problems} problems`);
  if (report.logEntries === null) console.log('the chain over the whole log is not supported by this store');
  else console.log(`whole-log chain: ${report.logEntries} entries checked`);
  if (anchorSeq !== undefined) console.log(`checked against an anchor at entry ${anchorSeq}`);
}
