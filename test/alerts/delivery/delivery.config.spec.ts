import { loadDeliveryConfig } from '@salesledger/alerts/delivery/delivery.config';
import { ConfigError } from '@salesledger/domain/errors';

describe('delivery configuration', () => {
  it('has safe defaults: no email, private networks refused', () => {
    expect(loadDeliveryConfig({})).toEqual({
      email: undefined,
      webhook: { timeoutMs: 10_000, maxAttempts: 8, urlGuard: { allowPrivateNetworks: false, allowedHosts: [] } },
    });
  });

  it('reads every variable', () => {
    const config = loadDeliveryConfig({
      SMTP_URL: 'smtp://user:pass@mail.internal:2525',
      SMTP_FROM: 'Alerts <alerts@example.com>',
      SMTP_TIMEOUT_MS: '5000',
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_ALLOWED_HOSTS: 'Hooks.Internal, 10.0.0.5',
      ALERT_DELIVERY_MAX_ATTEMPTS: '5',
    });

    expect(config).toEqual({
      email: {
        smtpUrl: 'smtp://user:pass@mail.internal:2525',
        from: 'Alerts <alerts@example.com>',
        timeoutMs: 5_000,
        maxAttempts: 5,
      },
      webhook: {
        timeoutMs: 2_000,
        maxAttempts: 5,
        urlGuard: { allowPrivateNetworks: true, allowedHosts: ['hooks.internal', '10.0.0.5'] },
      },
    });
  });

  it('names every variable it cannot use', () => {
    const load = () =>
      loadDeliveryConfig({
        SMTP_URL: 'http://mail.internal',
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'yes',
        WEBHOOK_TIMEOUT_MS: '0',
        ALERT_DELIVERY_MAX_ATTEMPTS: 'many',
      });

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      /SMTP_URL[\s\S]*WEBHOOK_ALLOW_PRIVATE_NETWORKS[\s\S]*ALERT_DELIVERY_MAX_ATTEMPTS[\s\S]*WEBHOOK_TIMEOUT_MS/,
    );
  });
});
