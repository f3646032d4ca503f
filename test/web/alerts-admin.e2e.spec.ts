import type { Page } from 'playwright-core';
import {
  eventually,
  describeWeb,
  screenshot,
  seriousViolations,
  signIn,
  SIZES,
  webSession,
  repUserToken,
} from '../support/web-product';

type ApiAlert = { id: string; status: string; teamId: string; evidence: { figures: Record<string, unknown> } };

describeWeb('alerts, imports and administration in Chromium against the product with its demo', () => {
  const { product, pageAt } = webSession();
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    tokens.director = await product.tokenFor('director');
    tokens.rep = await repUserToken(product, 'rep-user-02', 'rep-02');
  }, 300_000);

  const shownIds = (page: Page) =>
    page.locator('[data-testid=alerts] > li').evaluateAll((items) => items.map((li) => li.getAttribute('data-alert')));

  const fitsPhone = async (page: Page) =>
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(SIZES.phone.width);

  it("lists the same alerts as GET /v1/alerts for the filter in the address, with an alert's evidence", async () => {
    const page = await pageAt();
    await signIn(page, product, tokens.director as string);
    const open: ApiAlert[] = (await product.call('GET', '/v1/alerts?status=open', tokens.director)).body;
    expect(open.length).toBeGreaterThan(0);
    const teamId = open[0]!.teamId;
    await page.goto(`${product.url}/alerts?status=open&teamId=${teamId}`);
    // The alert worker keeps running: compare with what the API answers at the same moment.
    let expected: ApiAlert[] = [];
    await eventually(async () => {
      expected = (await product.call('GET', `/v1/alerts?status=open&teamId=${teamId}`, tokens.director)).body;
      expect(await shownIds(page)).toEqual(expected.map((a) => a.id));
    });
    expect(await page.inputValue('#alerts-status')).toBe('open');
    expect(await page.inputValue('#alerts-teamId')).toBe(teamId);

    // A filter chosen on the screen goes into the address.
    await page.selectOption('#alerts-status', 'acknowledged');
    await eventually(() => expect(page.url()).toMatch(/status=acknowledged/));
    await page.selectOption('#alerts-status', 'open');

    const first = expected[0]!;
    const item = page.locator(`[data-alert="${first.id}"]`);
    await item.locator('button:has-text("Show the evidence")').click();
    await item.locator('[data-testid=evidence]').waitFor();
    const detail: ApiAlert = (await product.call('GET', `/v1/alerts/${first.id}`, tokens.director)).body;
    const figures = await item
      .locator('[data-figure]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-figure')));
    expect(figures).toEqual(Object.keys(detail.evidence.figures));
    expect(await item.locator('a:has-text("audit log")').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'alerts-desktop');

    const phone = await pageAt('phone');
    await signIn(phone, product, tokens.director as string);
    await phone.goto(`${product.url}/alerts?status=open`);
    await phone.locator('[data-testid=alerts] > li').first().waitFor();
    await fitsPhone(phone);
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'alerts-phone');
    await phone.context().close();
    await page.context().close();
  });

  it('acknowledges an alert with a note, and shows a change made elsewhere without a reload', async () => {
    const open: ApiAlert[] = (await product.call('GET', '/v1/alerts?status=open', tokens.director)).body;
    expect(open.length).toBeGreaterThan(1);
    const [mine, theirs] = open as [ApiAlert, ApiAlert];
    const page = await pageAt();
    await signIn(page, product, tokens.director as string);
    await page.goto(`${product.url}/alerts`);
    await eventually(async () => expect(await page.getAttribute('[data-stream]', 'data-stream')).toBe('live'));

    const item = page.locator(`[data-alert="${mine.id}"]`);
    await item.locator('textarea').fill('Called the rep: two orders this week.');
    await item.locator('button:has-text("Acknowledge")').click();
    await eventually(async () =>
      expect((await item.locator('[data-testid=alert-status]').textContent())?.trim()).toBe('Acknowledged'),
    );
    // The read model has it once the projector applies it.
    await eventually(async () =>
      expect((await product.call('GET', `/v1/alerts/${mine.id}`, tokens.director)).body).toMatchObject({
        status: 'acknowledged',
        note: 'Called the rep: two orders this week.',
      }),
    );

    // Another session (another token) acknowledges; the stream brings it here well within the 30 s polling fallback.
    const elsewhere = await product.tokenFor('director');
    const other = await product.call('POST', `/v1/alerts/${theirs.id}/acknowledgement`, elsewhere, {
      note: 'from another session',
    });
    expect(other.status).toBe(200);
    await eventually(
      async () => expect(await page.getAttribute(`[data-alert="${theirs.id}"]`, 'data-status')).toBe('acknowledged'),
      10_000,
    );
    await page.context().close();
  });

  it('keeps administration from a rep', async () => {
    const page = await pageAt();
    await signIn(page, product, tokens.rep as string);
    expect(await page.locator('header nav a:has-text("Administration")').count()).toBe(0);
    await page.goto(`${product.url}/admin`);
    await eventually(async () => expect(await page.locator('main [role=alert]').textContent()).toContain('may not'));
    await page.context().close();
  });

  it('creates a token shown once, revokes it, and the API then refuses it', async () => {
    const page = await pageAt();
    await signIn(page, product, tokens.director as string);
    await page.click('header nav >> text=Administration');
    await page.waitForSelector('[data-testid=users] tbody tr');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-users-desktop');
    await page.click('[data-user="manager-west"] a');
    await page.waitForSelector('[data-testid=user-state]');

    await page.fill('#token-label', 'e2e laptop');
    await page.fill('#token-days', '7');
    await page.click('button:has-text("Create a token")');
    const secret = (await page.locator('[data-testid=token-secret] code').textContent())?.trim() as string;
    expect(secret.length).toBeGreaterThan(16);
    expect((await product.call('GET', '/v1/me', secret)).status).toBe(200);
    const row = page.locator('[data-testid=tokens] tr', { hasText: 'e2e laptop' });
    await row.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-user-desktop');

    await page.click('button:has-text("I have copied it")');
    await page.reload();
    await page.waitForSelector('[data-testid=tokens]');
    expect(await page.locator('body').textContent()).not.toContain(secret);

    await row.locator('button:has-text("Revoke")').click();
    await eventually(async () =>
      expect((await row.locator('[data-testid=revoked]').textContent())?.trim()).not.toBe('—'),
    );
    await eventually(async () => expect((await product.call('GET', '/v1/me', secret)).status).toBe(401), 5_000);

    const phone = await pageAt('phone');
    await signIn(phone, product, tokens.director as string);
    await phone.goto(`${product.url}/admin/users/manager-west`);
    await phone.waitForSelector('[data-testid=tokens]');
    await fitsPhone(phone);
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'admin-user-phone');
    await phone.goto(`${product.url}/admin`);
    await phone.waitForSelector('[data-testid=users]');
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'admin-users-phone');
    await phone.context().close();
    await page.context().close();
  });

  it('creates a team, a manager user in it, and assigns them', async () => {
    const page = await pageAt();
    await signIn(page, product, tokens.director as string);
    await page.goto(`${product.url}/admin/teams`);
    await page.waitForSelector('[data-testid=teams] tbody tr');
    await page.fill('#new-team-id', 'e2e-team');
    await page.fill('#new-team-name', 'E2E Team');
    await page.click('form[aria-labelledby=create-team] button[type=submit]');
    await page.locator('[data-team="e2e-team"]').waitFor();

    await page.click('main nav >> text=Users');
    await page.fill('#new-user-id', 'mgr-e2e');
    await page.fill('#new-user-name', 'E2E Manager');
    await page.fill('#new-user-email', 'mgr-e2e@example.com');
    await page.selectOption('#new-user-role', 'manager');
    await page.selectOption('#new-user-team', 'e2e-team');
    await page.click('form[aria-labelledby=create-user] button[type=submit]');
    await page.locator('[data-user="mgr-e2e"]').waitFor();
    expect((await product.call('GET', '/v1/users/mgr-e2e', tokens.director)).body).toMatchObject({
      role: 'manager',
      teamId: 'e2e-team',
    });

    await page.click('main nav >> text=Teams');
    const row = page.locator('[data-team="e2e-team"]');
    await row.locator('select').selectOption('mgr-e2e');
    await row.locator('button:has-text("Save")').click();
    await eventually(async () =>
      expect((await product.call('GET', '/v1/teams/e2e-team', tokens.director)).body.managerUserId).toBe('mgr-e2e'),
    );
    await eventually(async () => expect(await row.locator('a').textContent()).toBe('E2E Manager'));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-teams-desktop');
    const phone = await pageAt('phone');
    await signIn(phone, product, tokens.director as string);
    await phone.goto(`${product.url}/admin/teams`);
    await phone.waitForSelector('[data-testid=teams] tbody tr');
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'admin-teams-phone');
    await phone.context().close();
    await page.context().close();
  });

  it('imports a CSV with a bad row: the counts, and the rejected rows to download', async () => {
    for (const size of ['desktop', 'phone'] as const) {
      const page = await pageAt(size);
      await signIn(page, product, tokens.director as string);
      await page.goto(`${product.url}/imports`);
      await page.getByLabel('What the rows are').selectOption('customers');
      const csv = [
        'id,name,repId,status',
        `c-e2e-${size}-1,E2E One,rep-02,prospect`,
        `c-e2e-${size}-2,,rep-02,customer`,
      ];
      await page.setInputFiles('input[type=file]', {
        name: 'customers.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(`${csv.join('\n')}\n`),
      });
      await page.click('button:has-text("Upload")');
      const result = page.locator('[data-testid=import-result]');
      await result.waitFor();
      const count = async (key: string) => (await result.locator(`[data-count=${key}] .value`).textContent())?.trim();
      expect([await count('rows'), await count('new'), await count('rejected')]).toEqual(['2', '1', '1']);
      const [download] = await Promise.all([page.waitForEvent('download'), result.locator('a[download]').click()]);
      expect(download.suggestedFilename()).toBe('customers-rejected-rows.csv');
      if (size === 'phone') await fitsPhone(page);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `imports-${size}`);
      await page.context().close();
    }
  });
});
