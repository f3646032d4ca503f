import { ConfigError } from '@salesledger/domain/errors';
import { DEFAULT_MAX_ATTEMPTS } from './retry.policy';

export interface UrlGuardConfig {
  /** Lets webhooks reach loopback, private and link-local addresses: for development and tests only. */
  readonly allowPrivateNetworks: boolean;
  /** Host names (lower case, as written in the URL) exempt from the address check, e.g. an in-cluster receiver. */
  readonly allowedHosts: readonly string[];
}

export interface EmailConfig {
  readonly smtpUrl: string;
  readonly from: string;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
}

export interface WebhookConfig {
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly urlGuard: UrlGuardConfig;
}

export interface DeliveryConfig {
  /** Absent when SMTP_URL is unset: alerts then go by webhook only. */
  readonly email?: EmailConfig;
  readonly webhook: WebhookConfig;
}

export const DEFAULT_SMTP_FROM = 'Salesledger <alerts@salesledger.local>';
const DEFAULT_TIMEOUT_MS = 10_000;

export function loadDeliveryConfig(env: NodeJS.ProcessEnv = process.env): DeliveryConfig {
  const problems: string[] = [];
  const whole = wholeNumberReader(env, problems);
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl && !/^smtps?:\/\/\S+$/.test(smtpUrl)) problems.push('SMTP_URL must be an smtp://... or smtps://... URL');
  const allowPrivate = env.WEBHOOK_ALLOW_PRIVATE_NETWORKS || 'false';
  if (!['true', 'false'].includes(allowPrivate)) problems.push('WEBHOOK_ALLOW_PRIVATE_NETWORKS must be true or false');
  const maxAttempts = whole('ALERT_DELIVERY_MAX_ATTEMPTS', DEFAULT_MAX_ATTEMPTS);
  const timeoutMs = whole('SMTP_TIMEOUT_MS', DEFAULT_TIMEOUT_MS);
  const email = smtpUrl ? { smtpUrl, from: env.SMTP_FROM || DEFAULT_SMTP_FROM, timeoutMs, maxAttempts } : undefined;
  const urlGuard = { allowPrivateNetworks: allowPrivate === 'true', allowedHosts: hostList(env.WEBHOOK_ALLOWED_HOSTS) };
  const webhook = { timeoutMs: whole('WEBHOOK_TIMEOUT_MS', DEFAULT_TIMEOUT_MS), maxAttempts, urlGuard };
  if (problems.length > 0) throw new ConfigError(problems);
  return { email, webhook };
}

function wholeNumberReader(env: NodeJS.ProcessEnv, problems: string[]) {
  return (name: string, fallback: number): number => {
    const raw = env[name];
    if (!raw) return fallback;
    if (/^[1-9]\d*$/.test(raw)) return Number(raw);
    problems.push(`${name} must be a whole number above 0`);
    return fallback;
  };
}

function hostList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter((host) => host !== '');
}
