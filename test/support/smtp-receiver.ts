import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseMail, type ReceivedMail } from './mime';

export interface ReceivedEmail extends ReceivedMail {
  readonly recipients: string[];
}

/** The reply the receiver gives a recipient it refuses. */
export interface Refusal {
  readonly code: number;
  readonly text: string;
}

/**
 * A real SMTP server on a free port that keeps every message it accepts. It refuses the recipients named in
 * `refusals` with their reply, and accepts every other one.
 */
export async function startSmtpReceiver(refusals: Readonly<Record<string, Refusal>> = {}) {
  const received: ReceivedEmail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = refusals[address.address];
      callback(refusal ? Object.assign(new Error(refusal.text), { responseCode: refusal.code }) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        received.push({ ...parseMail(Buffer.concat(chunks).toString('utf8')), recipients });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type SmtpReceiver = Awaited<ReturnType<typeof startSmtpReceiver>>;
