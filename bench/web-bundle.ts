import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The dashboard's budget for what a first visit downloads before any screen's own code (issue #12). */
export const INITIAL_JS_BUDGET = 250 * 1024;

export interface BundleSizes {
  /** The entry script and the modules index.html preloads, gzip-compressed. */
  readonly initialGzip: number;
  readonly initialFiles: string[];
  /** Every script of the build, gzip-compressed: what a visit to every screen downloads at most. */
  readonly allGzip: number;
  readonly chunks: number;
}

const gzipped = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

/** Sizes of a Vite build in dist/web, read from its index.html as a browser would load it. */
export function measureBundle(dir = join(__dirname, '..', '..', 'dist', 'web')): BundleSizes {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const initialFiles = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1] as string);
  const scripts = readdirSync(join(dir, 'assets')).filter((name) => name.endsWith('.js'));
  return {
    initialGzip: initialFiles.reduce((sum, file) => sum + gzipped(join(dir, file)), 0),
    initialFiles,
    allGzip: scripts.reduce((sum, name) => sum + gzipped(join(dir, 'assets', name)), 0),
    chunks: scripts.length,
  };
}

if (require.main === module) {
  const sizes = measureBundle();
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
  console.log(`dashboard initial JavaScript: ${kb(sizes.initialGzip)} gzip (${sizes.initialFiles.join(', ')})`);
  console.log(`budget: ${kb(INITIAL_JS_BUDGET)} -> ${(sizes.initialGzip / INITIAL_JS_BUDGET).toFixed(2)}x of budget`);
  console.log(`every screen loaded: ${kb(sizes.allGzip)} gzip in ${sizes.chunks} scripts`);
  if (sizes.initialGzip > INITIAL_JS_BUDGET) process.exitCode = 1;
}
