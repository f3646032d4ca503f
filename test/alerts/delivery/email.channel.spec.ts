import { renderAlertEmail, renderDigestEmail } from '@salesledger/alerts/delivery/alert-email.content';
import { DEFAULT_SMTP_FROM, type EmailConfig } from '@salesledger/alerts/delivery/delivery.config';
import type { Delivery } from '@salesledger/alerts/delivery/delivery.port';
import { EmailChannel } from '@salesledger/alerts/delivery/email.channel';
import { startSmtpReceiver, type Refusal, type SmtpReceiver } from '../../support/smtp-receiver';
import { anAlert } from './alert-messages';

/** Recipients the test server refuses, with the reply it gives. */
const REFUSALS: Record<string, Refusal> = {
  'busy@example.com': { code: 451, text: 'Mailbox busy, try again later' },
  'nobody@example.com': { code: 550, text: 'No such user here' },
};

const alertDelivery = (overrides: Partial<Delivery> = {}): Delivery =>
  ({
    deliveryId: 'dlv-0001',
    attempt: 1,
    to: 'manager@example.com',
    kind: 'alert',
    message: anAlert(),
    ...overrides,
  }) as Delivery;

describe('EmailChannel against a real SMTP server', () => {
  let smtp: SmtpReceiver;
  let channel: EmailChannel;
  const config = (smtpUrl: string): EmailConfig => ({
    smtpUrl,
    from: DEFAULT_SMTP_FROM,
    timeoutMs: 5_000,
    maxAttempts: 8,
  });

  beforeAll(async () => {
    smtp = await startSmtpReceiver(REFUSALS);
    channel = new EmailChannel(config(smtp.url));
  });

  afterAll(async () => {
    channel.close();
    await smtp.stop();
  });

  beforeEach(() => smtp.received.splice(0));

  it('sends the alert with its subject, body and a Message-ID made from the delivery id', async () => {
    await expect(channel.deliver(alertDelivery())).resolves.toEqual({ outcome: 'delivered' });

    const [mail] = smtp.received;
    expect(mail?.recipients).toEqual(['manager@example.com']);
    expect(mail?.headers.get('subject')).toBe('[Salesledger] critical: Ana Ruiz is behind pace for 2026-11');
    expect(mail?.headers.get('from')).toBe('Salesledger <alerts@salesledger.local>');
    expect(mail?.headers.get('message-id')).toBe('<dlv-0001@salesledger.local>');
    expect(mail?.headers.get('x-salesledger-delivery-id')).toBe('dlv-0001');
    expect(mail?.text).toBe(renderAlertEmail(anAlert(), 'alert').text);
    expect(mail?.text).toContain('actual: 12000.00');
    expect(mail?.html).toContain('<td>Ana Ruiz (rep-17)</td>');
  });

  it('gives every attempt of one delivery the same Message-ID, so a duplicate is recognisable', async () => {
    await channel.deliver(alertDelivery({ attempt: 1 }));
    await channel.deliver(alertDelivery({ attempt: 2 }));

    expect(smtp.received.map((mail) => mail.headers.get('message-id'))).toEqual([
      '<dlv-0001@salesledger.local>',
      '<dlv-0001@salesledger.local>',
    ]);
  });

  it('marks an escalation in the subject and the first line', async () => {
    await channel.deliver(alertDelivery({ kind: 'escalation' }));

    const [mail] = smtp.received;
    expect(mail?.headers.get('subject')).toBe('[Salesledger] escalated critical: Ana Ruiz is behind pace for 2026-11');
    expect(mail?.text.split('\n')[0]).toBe('Escalated: this alert has not been acknowledged.');
  });

  it('retries with backoff when the server answers 451 (temporary)', async () => {
    const outcome = await channel.deliver(alertDelivery({ to: 'busy@example.com', attempt: 3 }));

    expect(outcome).toEqual({
      outcome: 'retry',
      afterMs: expect.any(Number),
      reason: '451 Mailbox busy, try again later',
    });
    expect(outcome.outcome === 'retry' && outcome.afterMs).toBeLessThan(4_000);
  });

  it('fails for good when the server answers 550 (permanent)', async () => {
    const outcome = await channel.deliver(alertDelivery({ to: 'nobody@example.com' }));

    expect(outcome).toEqual({ outcome: 'failed', reason: '550 No such user here' });
  });

  it('retries when nothing listens on the SMTP port', async () => {
    const closed = await startSmtpReceiver();
    await closed.stop();
    const unreachable = new EmailChannel(config(closed.url));

    const outcome = await unreachable.deliver(alertDelivery());
    unreachable.close();

    expect(outcome).toEqual({
      outcome: 'retry',
      afterMs: expect.any(Number),
      reason: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('sends one digest of the open alerts, critical first', async () => {
    const noVisit = 'No visit since 2026-11-04: 3 working days without one (alert at 3).';
    const warning = anAlert({
      alertId: 'alert-visits-rep-9',
      rule: 'no-recent-visit',
      repId: 'rep-9',
      repName: 'Li Wei',
      severity: 'warning',
      period: '2026-11-04',
      raisedAt: '2026-11-06T08:00:00.000Z',
      summary: noVisit,
      evidence: {
        summary: noVisit,
        figures: { lastVisitOn: '2026-11-04', workingDaysWithoutVisit: 3 },
        positions: [60],
      },
    });
    const digest = { day: '2026-11-09', alerts: [warning, anAlert()] };

    await channel.deliver({
      deliveryId: 'dlv-digest-1',
      attempt: 1,
      to: 'manager@example.com',
      kind: 'digest',
      digest,
    });

    const [mail] = smtp.received;
    expect(mail?.headers.get('subject')).toBe('[Salesledger] 2 open alerts on 2026-11-09');
    expect(mail?.headers.get('message-id')).toBe('<dlv-digest-1@salesledger.local>');
    expect(mail?.text).toBe(
      [
        '2 open alerts on 2026-11-09.',
        '',
        '- critical: Ana Ruiz is behind pace for 2026-11 (raised 2026-11-09T08:00:00.000Z)',
        `  ${anAlert().summary}`,
        '  target 46666.67, actual 12000.00, expected 20000.00, pace 0.6, threshold 0.7',
        '- warning: Li Wei has made no visit since 2026-11-04 (raised 2026-11-06T08:00:00.000Z)',
        `  ${noVisit}`,
        '  last visit on 2026-11-04, working days without visit 3',
      ].join('\n'),
    );
  });
});

describe('alert email content', () => {
  it('lists the figures compared and leaves out the pace curve and event positions', () => {
    const { text } = renderAlertEmail(anAlert(), 'alert');

    expect(text).toContain(
      'Figures:\n  target: 46666.67\n  actual: 12000.00\n  expected: 20000.00\n  pace: 0.6\n  threshold: 0.7',
    );
    expect(text).not.toMatch(/positions|pace curve|2222\.22/);
  });

  it('reads sensibly for a rule it does not know and evidence of another shape', () => {
    const { subject, text } = renderAlertEmail(
      anAlert({ rule: 'quota-missed', severity: 'warning', evidence: { missedBy: '500.00', streak: null } }),
      'alert',
    );

    expect(subject).toBe('[Salesledger] warning: Ana Ruiz has a quota-missed alert for 2026-11');
    expect(text).toContain('Figures:\n  missed by: 500.00\n  streak: n/a');
  });

  it('escapes what it puts into HTML', () => {
    const { html } = renderAlertEmail(anAlert({ repName: '<b>Ana</b> & co' }), 'alert');

    expect(html).toContain('&lt;b&gt;Ana&lt;/b&gt; &amp; co');
    expect(html).not.toContain('<b>Ana</b>');
  });

  it('says so when a digest holds a single alert', () => {
    expect(renderDigestEmail({ day: '2026-11-09', alerts: [anAlert()] }).subject).toBe(
      '[Salesledger] 1 open alert on 2026-11-09',
    );
  });
});
