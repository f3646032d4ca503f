import type { Page } from 'playwright-core';
import {
  eventually,
  describeWeb,
  screenshot,
  seriousViolations,
  shownMoney,
  signIn,
  SIZES,
  webSession,
  repUserToken,
} from '../support/web-product';

const month = new Date().toISOString().slice(0, 7);

describeWeb('the dashboard in Chromium against the product with its demo', () => {
  const { product, pageAt } = webSession();
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    tokens.director = await product.tokenFor('director');
    tokens.manager = await product.tokenFor('manager-west');
    tokens.rep = await repUserToken(product, 'rep-user-01', 'rep-01');
  }, 300_000);

  const tile = async (page: Page, name: string) =>
    (await page.textContent(`[data-testid=tile-${name}] .value`))?.trim();

  it('signs a director in to the company month: tiles, pace curve and team roll-up equal the API', async () => {
    const page = await pageAt();
    await signIn(page, product, tokens.director as string);
    await page.waitForSelector('[data-testid=pace-chart] svg .recharts-line');
    const card = (await product.call('GET', `/v1/scorecard?grain=month&period=${month}`, tokens.director)).body;
    expect(await tile(page, 'actual')).toBe(shownMoney(card.actual));
    expect(await tile(page, 'target')).toBe(shownMoney(card.target));
    const pace = (await product.call('GET', `/v1/pace/${month}`, tokens.director)).body;
    expect(await page.textContent('figure figcaption')).toContain(shownMoney(pace.expectedToDate));
    expect(await page.locator('[data-testid=pace-chart] .recharts-line').count()).toBe(3);
    await page.waitForSelector('[data-testid=team-rollup] tbody tr td.num:not(:has-text("…"))');
    const teams = (await product.call('GET', '/v1/teams', tokens.director)).body.items;
    for (const team of teams) {
      const teamCard = (
        await product.call('GET', `/v1/teams/${team.id}/scorecard?grain=month&period=${month}`, tokens.director)
      ).body;
      await eventually(async () =>
        expect((await page.locator(`[data-team="${team.id}"] td`).nth(1).textContent())?.trim()).toBe(
          shownMoney(teamCard.actual),
        ),
      );
    }
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'home-director-desktop');
    await page.context().close();
  });

  it("shows a manager their team's month and leaderboard, and nothing of other teams", async () => {
    const page = await pageAt();
    await signIn(page, product, tokens.manager as string);
    await eventually(async () => expect(await page.locator('h1').textContent()).toContain('west'));
    const board = (await product.call('GET', `/v1/leaderboard?grain=month&period=${month}&teamId=west`, tokens.manager))
      .body;
    await page.waitForSelector('[data-testid=leaderboard] tbody tr');
    const reps = await page
      .locator('[data-testid=leaderboard] tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-rep')));
    expect(reps).toEqual(board.entries.map((entry: { repId: string }) => entry.repId));
    expect(reps.length).toBeGreaterThan(0);
    expect(board.entries.every((entry: { teamId: string }) => entry.teamId === 'west')).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'home-manager-desktop');
    await page.context().close();
  });

  it('ranks by any KPI with grain and period pickers', async () => {
    const page = await pageAt();
    await signIn(page, product, tokens.director as string);
    await page.click('nav >> text=Leaderboard');
    await page.waitForSelector('[data-testid=leaderboard] tbody tr');
    await page.click('th button:has-text("Sales visits")');
    const board = (await product.call('GET', `/v1/leaderboard?grain=month&period=${month}`, tokens.director)).body
      .entries;
    const byVisits = [...board].sort((a: any, b: any) => b.salesVisits - a.salesVisits || a.rank - b.rank);
    await eventually(async () =>
      expect(await page.locator('[data-testid=leaderboard] tbody tr').first().getAttribute('data-rep')).toBe(
        byVisits[0].repId,
      ),
    );
    await page.selectOption('select:near(:text("Grain"))', 'quarter');
    await eventually(() => expect(page.url()).toMatch(/grain=quarter/));
    const quarter = (await page.inputValue('input[aria-invalid]')) as string;
    const quarterBoard = (await product.call('GET', `/v1/leaderboard?grain=quarter&period=${quarter}`, tokens.director))
      .body.entries;
    await eventually(async () =>
      expect(await page.locator('[data-testid=leaderboard] tbody tr').count()).toBe(quarterBoard.length),
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'leaderboard-desktop');
    await page.context().close();
  });

  it("shows a rep's twelve KPIs as the API does, the trend, and the orders behind a figure", async () => {
    const page = await pageAt();
    await signIn(page, product, tokens.rep as string);
    await page.click('nav >> text=My scorecard');
    await page.waitForSelector('[data-testid=scorecard]');
    const card = (await product.call('GET', `/v1/reps/rep-01/scorecard?grain=month&period=${month}`, tokens.rep)).body;
    await eventually(async () =>
      expect((await page.locator('[data-kpi=actual] td').first().textContent())?.trim()).toBe(shownMoney(card.actual)),
    );
    await eventually(async () =>
      expect((await page.locator('[data-kpi=orders] td').first().textContent())?.trim()).toBe(String(card.orders)),
    );
    await eventually(async () =>
      expect((await page.locator('[data-kpi=salesVisits] td').first().textContent())?.trim()).toBe(
        String(card.salesVisits),
      ),
    );
    await page.waitForSelector('[data-testid=trend-chart] svg .recharts-bar-rectangle');
    await page.click('[data-kpi=orders] button');
    const orders = (
      await product.call('GET', `/v1/reps/rep-01/scorecard/orders?grain=month&period=${month}`, tokens.rep)
    ).body.items;
    if (orders.length > 0)
      await eventually(async () =>
        expect(await page.locator('[data-testid=drill-down] tbody tr').count()).toBe(orders.length),
      );
    else
      await eventually(async () =>
        expect(await page.locator('[data-testid=drill-down]').textContent()).toContain('Nothing here yet'),
      );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'scorecard-desktop');
    await page.context().close();
  });

  it('works at phone size and in Chinese, with numbers in the locale', async () => {
    const page = await pageAt('phone');
    await signIn(page, product, tokens.director as string);
    await page.selectOption('header select', 'zh-CN');
    await eventually(async () => expect((await page.locator('h1').textContent())?.trim()).toBe('公司本月概况'));
    await eventually(async () => expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN'));
    await eventually(async () => expect(await page.locator('nav').textContent()).toContain('排行榜'));
    const width = await page.evaluate('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(SIZES.phone.width);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'home-director-phone-zh');
    await page.selectOption('header select', 'en');
    await page.context().close();
  });

  it('is used by keyboard alone at phone size: sign in, reach each screen from the menu, sort the leaderboard', async () => {
    const page = await pageAt('phone');
    await page.goto(`${product.url}/`);
    await page.waitForSelector('input[name=token]');
    /** Tabs until the focused element matches, as a keyboard user would; fails if it never does. */
    const tabTo = async (selector: string) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
      }
      throw new Error(`${selector} cannot be reached with Tab`);
    };
    await tabTo('input[name=token]');
    await page.keyboard.type(tokens.manager as string);
    await page.keyboard.press('Enter');
    await page.waitForSelector('main h1');
    await screenshot(page, 'home-manager-phone');

    await tabTo('nav a[href="/leaderboard"]');
    await page.keyboard.press('Enter');
    await eventually(() => expect(page.url()).toMatch(/\/leaderboard/));
    await page.waitForSelector('main table tbody tr');
    await tabTo('main th button.sort');
    const column = await page.evaluate<string>('document.activeElement.textContent.trim()');
    await page.keyboard.press('Enter');
    await eventually(() => expect(page.url()).toMatch(/sort=/));
    expect(await page.locator('main th[aria-sort=descending]').textContent()).toContain(column);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(SIZES.phone.width);
    await screenshot(page, 'leaderboard-phone');

    await tabTo('main table tbody a[href^="/reps/"]');
    await page.keyboard.press('Enter');
    await eventually(() => expect(page.url()).toMatch(/\/reps\//));
    await page.waitForSelector('[data-testid=scorecard] tbody tr');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'scorecard-phone');

    await tabTo('header button');
    await page.keyboard.press('Enter');
    await eventually(() => expect(page.url()).toMatch(/sign-in/));
    await screenshot(page, 'sign-in-phone');
    await page.context().close();
  });

  it('refuses a bad token, returns to sign-in on a 401, and signs out', async () => {
    const page = await pageAt();
    await page.goto(`${product.url}/leaderboard`);
    await eventually(() => expect(page.url()).toMatch(/sign-in/));
    await page.fill('input[name=token]', 'not-a-token-at-all');
    await page.click('button[type=submit]');
    await eventually(async () => expect(await page.locator('[role=alert]').textContent()).toContain('not accepted'));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in-desktop');

    const issued = (await product.call('POST', '/v1/users/director/tokens', product.adminToken, { label: 'to revoke' }))
      .body;
    await signIn(page, product, issued.token);
    await product.call('DELETE', `/v1/users/director/tokens/${issued.tokenId}`);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // revocation reaches the verifier within a second
    await page.click('nav >> text=Leaderboard');
    await eventually(() => expect(page.url()).toMatch(/sign-in/));

    await signIn(page, product, tokens.manager as string);
    await page.click('text=Sign out');
    await eventually(() => expect(page.url()).toMatch(/sign-in/));
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.context().close();
  });
});
