import { auditEventStore } from '@salesledger/event-store/audit';
import { openFromEnvironment } from '@salesledger/platform/service';

/** Exit code 1 when anything was tampered with, so schedulers and CI can alert on it. */
export async function auditVerify(): Promise<void> {
  const { runtime } = await openFromEnvironment('audit');
  try {
    const report = await auditEventStore(runtime.eventStore, runtime.streamHeads?.());
    for (const f of report.findings) {
      console.log(
        `${f.kind.toUpperCase()} stream=${f.streamId} revision=${f.revision} event=${f.eventId ?? '-'}: ${f.detail}`,
      );
    }
    console.log(`checked ${report.events} events in ${report.streams} streams: ${report.findings.length} problems`);
    process.exitCode = report.findings.length > 0 ? 1 : 0;
  } finally {
    await runtime.close();
  }
}
