import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { skipLoudly } from './postgres-servers';

const ROOT = join(__dirname, '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
// Without the networking flags Chromium keeps calling out of a closed network.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Browser specs need Debian's chromium; without it they say so (and fail under REQUIRE_INFRA=1). */
export function hasChromium(): boolean {
  if (existsSync(CHROMIUM)) return true;
  skipLoudly('Chromium at /usr/bin/chromium', 'apt-get install -y chromium');
  return false;
}

/** A browser spec's `describe`: skipped loudly where Chromium is missing (a failure under REQUIRE_INFRA). */
export function describeWeb(name: string, specs: () => void): void {
  (hasChromium() ? describe : describe.skip)(name, specs);
}

/** Money as the English screens write it: grouped, two decimals. */
export const shownMoney = (amount: string | number): string =>
  Number(amount).toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export interface Product {
  readonly url: string;
  readonly adminToken: string;
  /** Calls the API; JSON in and out. */
  call(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** A fresh token for an existing user, issued by the admin. */
  tokenFor(userId: string): Promise<string>;
  stop(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

/**
 * The product as a new user starts it (`salesledger start`: embedded PostgreSQL, demo organisation)
 * from the build `npm test` makes, in a data directory of its own; ready once the demo is seeded,
 * its alerts raised and its stored scorecards settled.
 */
export async function startProduct(): Promise<Product> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'salesledger-web-'));
  chmodSync(dataDir, 0o755); // embedded PostgreSQL runs as its own system user when we are root
  const adminToken = `web-spec-${randomBytes(12).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    SALESLEDGER_DATA_DIR: dataDir,
    SALESLEDGER_BOOTSTRAP_TOKEN: adminToken,
    LOG_LEVEL: 'info',
  };
  // Embedded mode, whatever servers the test run itself was given.
  for (const name of ['DATABASE_URL', 'EVENT_STORE_URL', 'KAFKA_BROKERS']) delete env[name];
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'salesledger.js'), 'start'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;

  const call: Product['call'] = async (method, path, token = adminToken, body) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
    };
  };
  const stop = () => stopChild(child).then(() => rmSync(dataDir, { recursive: true, force: true }));

  try {
    await waitFor(
      () => output.includes('demo organisation ready'),
      240_000,
      () => output,
      child,
    );
    // The demo's two lagging reps both have open alerts once the worker has evaluated after the
    // projector caught up; its first pass can come earlier and raise fewer.
    await waitFor(
      async () =>
        new Set(((await call('GET', '/v1/alerts?status=open')).body as { repId: string }[]).map((a) => a.repId)).size >=
        2,
      120_000,
      () => output,
      child,
    );
    // And the stored scorecards settled: settling the demo's company-wide changes recomputes every
    // one of them, which the specs' first pages should not have to wait behind.
    await waitFor(
      async () => {
        const { body } = await call('GET', '/v1/admin/projections');
        return (
          Array.isArray(body) &&
          body.every(
            (status: { lagEvents: number; unsettled: number }) => status.lagEvents === 0 && status.unsettled === 0,
          )
        );
      },
      120_000,
      () => output,
      child,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    adminToken,
    call,
    tokenFor: async (userId) => {
      const { status, body } = await call('POST', `/v1/users/${userId}/tokens`, adminToken, { label: 'web spec' });
      if (status !== 201) throw new Error(`token for ${userId}: ${status} ${JSON.stringify(body)}`);
      return body.token as string;
    },
    stop,
  };
}

async function waitFor(done: () => boolean | Promise<boolean>, ms: number, log: () => string, child: ChildProcess) {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (child.exitCode !== null) throw new Error(`the product exited (${child.exitCode}):\n${log()}`);
    if (Date.now() > deadline) throw new Error(`the product was not ready in ${ms} ms:\n${log().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });

export const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

/**
 * A browser spec's product and Chromium, started before its specs (and before the `beforeAll` the
 * spec adds after this call) and stopped after them. `product` stands for the started product;
 * `pageAt` opens a page in a fresh browser context (no session) at one of the SIZES.
 */
export function webSession(): { product: Product; pageAt(size?: keyof typeof SIZES): Promise<Page> } {
  let started: Product | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    started = await startProduct();
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await started?.stop();
  });
  const running = (): Product => {
    if (!started) throw new Error('the product starts in beforeAll: use it in a hook or a spec');
    return started;
  };
  const product: Product = {
    get url() {
      return running().url;
    },
    get adminToken() {
      return running().adminToken;
    },
    call: (...args) => running().call(...args),
    tokenFor: (userId) => running().tokenFor(userId),
    stop: () => running().stop(),
  };
  const pageAt = async (size: keyof typeof SIZES = 'desktop') => {
    if (!browser) throw new Error('Chromium starts in beforeAll: open pages in a hook or a spec');
    return (await browser.newContext({ viewport: SIZES[size] })).newPage();
  };
  return { product, pageAt };
}

/** A token of a new user with the rep role for `repId`, in the rep's team. */
export async function repUserToken(product: Product, userId: string, repId: string): Promise<string> {
  const { body: rep } = await product.call('GET', `/v1/reps/${repId}`);
  const created = await product.call('POST', '/v1/users', product.adminToken, {
    id: userId,
    name: `Rep user ${userId}`,
    email: `${userId}@example.com`,
    role: 'rep',
    teamId: rep.teamId,
    repId,
  });
  if (created.status !== 201) throw new Error(`user ${userId}: ${created.status} ${JSON.stringify(created.body)}`);
  return product.tokenFor(userId);
}

/**
 * Signs in through the form of DESIGN §7 and waits until the header names the signed-in user: only
 * then is the token kept, so a `goto` next is signed in too. (The sign-in screen has a `main h1` of
 * its own; waiting for that raced the token check, and a slow one sent the next page to sign-in.)
 */
export async function signIn(page: Page, product: Product, token: string): Promise<void> {
  await page.goto(`${product.url}/`);
  await page.fill('input[name=token]', token);
  await page.click('button[type=submit]');
  await page.waitForSelector('header .who');
}

/** axe-core on what the page shows: no serious or critical violation. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
    );
}

/** Screenshots for docs/screenshots/, written only when asked (SCREENSHOTS=1) so test runs leave the tree alone. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  await page.screenshot({ path: join(ROOT, 'docs', 'screenshots', `${name}.png`), fullPage: true });
}

/** Retries an assertion until it passes or time runs out: the screen renders after the API answers. */
export async function eventually(assertion: () => Promise<void> | void, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
