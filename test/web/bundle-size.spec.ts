import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { INITIAL_JS_BUDGET, measureBundle } from '../../bench/web-bundle';

const built = join(__dirname, '..', '..', 'dist', 'web');

describe('the dashboard build', () => {
  // npm test builds it first; a lone jest run without a build has nothing to measure.
  (existsSync(join(built, 'index.html')) ? it : it.skip)('keeps the initial JavaScript within 250 kB gzip', () => {
    const sizes = measureBundle(built);
    expect(sizes.initialFiles.length).toBeGreaterThan(0);
    expect(sizes.initialGzip).toBeLessThanOrEqual(INITIAL_JS_BUDGET);
    // Screens load on demand: the entry must not carry the charts.
    expect(sizes.allGzip).toBeGreaterThan(sizes.initialGzip);
  });
});
