import { createTransport, type NodemailerError, type Transporter } from 'nodemailer';
import { renderAlertEmail, renderDigestEmail } from './alert-email.content';
import type { EmailConfig } from './delivery.config';
import type { Delivery, DeliveryChannel, DeliveryOutcome } from './delivery.port';
import { retryLater } from './retry.policy';

/** Failures of the connection rather than answers about the message: the next attempt may get through. */
const CONNECTION_ERRORS = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'ETLS', 'EPROXY', 'EABORT']);

export class EmailChannel implements DeliveryChannel {
  readonly name = 'email';
  readonly maxAttempts: number;
  private readonly transport: Transporter;

  constructor(private readonly config: EmailConfig) {
    this.maxAttempts = config.maxAttempts;
    this.transport = createTransport({ url: config.smtpUrl, connectionTimeout: config.timeoutMs });
  }

  async deliver(delivery: Delivery): Promise<DeliveryOutcome> {
    const content =
      delivery.kind === 'digest'
        ? renderDigestEmail(delivery.digest)
        : renderAlertEmail(delivery.message, delivery.kind);
    try {
      await this.transport.sendMail({
        from: this.config.from,
        to: delivery.to,
        ...content,
        messageId: messageIdFor(delivery.deliveryId, this.config.from),
        headers: { 'X-Salesledger-Delivery-Id': delivery.deliveryId },
        // One deadline for the whole send. A send that timed out may still have been accepted:
        // the stable Message-ID lets the receiving side spot the duplicate of the retry.
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      return { outcome: 'delivered' };
    } catch (error) {
      return smtpOutcome(error as NodemailerError, delivery.attempt);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** RFC 5321: 4yz replies are transient, 5yz permanent (nodemailer's `permanent` also treats 503 as transient). */
function smtpOutcome(error: NodemailerError, attempt: number): DeliveryOutcome {
  const reason = error.response ?? error.message;
  if (error.responseCode !== undefined) {
    const permanent = error.permanent ?? error.responseCode >= 500;
    return permanent ? { outcome: 'failed', reason } : retryLater(attempt, reason);
  }
  return error.code && CONNECTION_ERRORS.has(error.code)
    ? retryLater(attempt, `${error.code}: ${error.message}`)
    : { outcome: 'failed', reason: error.message };
}

/** Derived from the delivery id so every attempt of one delivery carries the same Message-ID. */
export function messageIdFor(deliveryId: string, from: string): string {
  const domain = /@([^\s@>]+)>?\s*$/.exec(from)?.[1] ?? 'salesledger.local';
  return `<${deliveryId.replace(/[^A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]/g, '_')}@${domain}>`;
}
