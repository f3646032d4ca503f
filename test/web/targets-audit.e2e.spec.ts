import {
  eventually,
  describeWeb,
  screenshot,
  seriousViolations,
  shownMoney,
  signIn,
  SIZES,
  webSession,
} from '../support/web-product';

const year = new Date().toISOString().slice(0, 4);
const month = new Date().toISOString().slice(0, 7);

describeWeb('the target screens in Chromium against the product with its demo', () => {
  const { product, pageAt } = webSession();
  let director: string;
  let manager: string;
  let teamId: string;
  let repId: string;

  beforeAll(async () => {
    director = await product.tokenFor('director');
    manager = await product.tokenFor('manager-west');
    teamId = (await product.call('GET', '/v1/users/manager-west', director)).body.teamId;
    repId = (await product.call('GET', `/v1/reps?teamId=${teamId}`, director)).body.items[0].id;
  }, 300_000);

  /** Each screen at phone size: it fits, axe finds nothing serious, and its screenshot. */
  async function atPhoneSize(path: string, ready: string, name: string) {
    const phone = await pageAt('phone');
    await signIn(phone, product, director);
    await phone.goto(`${product.url}${path}`);
    await phone.waitForSelector(ready);
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(SIZES.phone.width);
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, name);
    await phone.context().close();
  }

  it("shows a team's year of targets as the API has them, month by month", async () => {
    const page = await pageAt();
    await signIn(page, product, director);
    await page.goto(`${product.url}/targets?teamId=${teamId}&year=${year}`);
    const row = page.locator(`[data-testid=target-grid] tr[data-rep="${repId}"]`);
    await row.locator(`td[data-month="${month}"] button`).waitFor();
    const board = (await product.call('GET', `/v1/leaderboard?grain=month&period=${month}&teamId=${teamId}`, director))
      .body.entries;
    const target = board.find((entry: { repId: string }) => entry.repId === repId).target;
    await eventually(async () =>
      expect((await row.locator(`td[data-month="${month}"]`).textContent())?.trim()).toBe(shownMoney(target)),
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'targets-desktop');
    await page.context().close();
    await atPhoneSize(`/targets?teamId=${teamId}&year=${year}`, '[data-testid=target-grid] tbody tr', 'targets-phone');
  });

  it('revises a target with a reason: the history grows and the view as of before still shows the old one', async () => {
    const path = `/v1/reps/${repId}/targets/${month}`;
    const before = (await product.call('GET', path, director)).body;
    const historyBefore = (await product.call('GET', `${path}/history`, director)).body as unknown[];
    const page = await pageAt();
    await signIn(page, product, director);
    await page.goto(`${product.url}/targets?teamId=${teamId}&year=${year}`);
    await page.click(`[data-testid=target-grid] tr[data-rep="${repId}"] td[data-month="${month}"] button`);
    await page.fill('#target-amount', '123456.78');
    await page.fill('#target-reason', 'Revised in the browser spec');
    const revisedAt = new Date();
    await page.click('[data-testid=target-editor] button[type=submit]');
    await eventually(async () =>
      expect(await page.locator('[data-testid=target-editor] [role=status]').textContent()).toContain('123,456.78'),
    );
    expect((await product.call('GET', path, director)).body.amount).toBe('123456.78');

    const beforeRevision = new Date(revisedAt.getTime() - 1_000).toISOString();
    await page.goto(`${product.url}/audit?repId=${repId}&month=${month}`);
    await eventually(async () =>
      expect(await page.locator('[data-testid=history] tbody tr').count()).toBe(historyBefore.length + 1),
    );
    const last = page.locator('[data-testid=history] tbody tr').last();
    expect(await last.textContent()).toContain('Revised in the browser spec');
    expect(await last.textContent()).toContain('123,456.78');
    await eventually(async () =>
      expect((await page.textContent('[data-testid=target-then]'))?.trim()).toBe(shownMoney('123456.78')),
    );
    await page.goto(`${product.url}/audit?repId=${repId}&month=${month}&asOf=${encodeURIComponent(beforeRevision)}`);
    await eventually(async () =>
      expect((await page.textContent('[data-testid=target-then]'))?.trim()).toBe(
        before.amount ? shownMoney(before.amount) : 'not set',
      ),
    );
    const cardThen = (
      await product.call(
        'GET',
        `/v1/reps/${repId}/scorecard?grain=month&period=${month}&asOf=${encodeURIComponent(beforeRevision)}`,
        director,
      )
    ).body;
    expect((await page.textContent('[data-testid=actual-then]'))?.trim()).toBe(shownMoney(cardThen.actual));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'audit-desktop');
    await page.context().close();
    await atPhoneSize(`/audit?repId=${repId}&month=${month}`, '[data-testid=history] tbody tr', 'audit-phone');
  });

  it("puts a manager's proposal in the approver's queue, and approving it sets the target", async () => {
    expect(
      (
        await product.call('PUT', '/v1/settings/target-approval', director, {
          mode: 'above-threshold',
          threshold: '1.00',
        })
      ).status,
    ).toBe(200);
    const next = new Date(Date.UTC(Number(year), Number(month.slice(5)), 1)).toISOString().slice(0, 7);
    const proposed = await product.call('PUT', `/v1/reps/${repId}/targets/${next}`, manager, {
      amount: '77777.00',
      reason: 'Proposed in the browser spec',
    });
    expect(proposed.status).toBe(202);
    const page = await pageAt();
    await signIn(page, product, director);
    await page.goto(`${product.url}/targets/approvals`);
    const row = page.locator(`[data-testid=proposals] tr[data-proposal="${proposed.body.proposalId}"]`);
    await eventually(async () => expect(await row.count()).toBe(1));
    expect(await row.textContent()).toContain('77,777.00');
    expect(await row.textContent()).toContain('Proposed in the browser spec');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'approvals-desktop');
    await atPhoneSize('/targets/approvals', '[data-testid=proposals] tbody tr', 'approvals-phone');
    await row.locator('button', { hasText: 'Approve' }).click();
    await eventually(async () => expect(await page.locator('main [role=status]').textContent()).toContain('77,777.00'));
    expect((await product.call('GET', `/v1/reps/${repId}/targets/${next}`, director)).body.amount).toBe('77777.00');
    await page.context().close();
    await product.call('PUT', '/v1/settings/target-approval', director, { mode: 'off' });
  });

  it('draws the company plan over the year and shows what the API refuses beside the field', async () => {
    const page = await pageAt();
    await signIn(page, product, director);
    await page.goto(`${product.url}/targets/plan?year=${year}`);
    await page.fill('#plan-amount', '1200.00');
    await page.fill('#weight-11', '3');
    // Twelve points, the last month three times the others: the curve follows the weights as typed.
    await page.waitForSelector('[data-testid=plan-chart] svg .recharts-line path');
    expect(
      await page.locator('[data-testid=plan-chart] .recharts-line-dot, [data-testid=plan-chart] .recharts-dot').count(),
    ).toBe(12);
    await page.fill('#weight-0', '-1');
    await page.fill('#plan-reason', 'spec');
    await page.click('main button[type=submit]');
    await eventually(async () => expect(await page.locator('main [role=alert]').count()).toBeGreaterThan(0));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'company-plan-desktop');
    await page.context().close();
    await atPhoneSize(`/targets/plan?year=${year}`, '[data-testid=plan-chart] svg', 'company-plan-phone');
  });
});
