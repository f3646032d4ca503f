import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DynamicModule } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';

/** Where `npm run build` puts the dashboard: dist/web under the package root, from source or from dist. */
export function webRoot(from = __dirname): string | null {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const built = join(dir, 'dist', 'web');
      return existsSync(join(built, 'index.html')) ? built : null;
    }
  }
  return null;
}

/**
 * The dashboard at `/`, its client-side routes answered with index.html. The API, /docs, /health
 * and /metrics keep their own answers (an unknown /v1 path stays a JSON 404).
 */
export function webAppModule(root = webRoot()): DynamicModule[] {
  if (!root) return [];
  return [
    ServeStaticModule.forRoot({
      rootPath: root,
      exclude: ['/v1/{*rest}', '/docs', '/docs/{*rest}', '/health', '/metrics'],
      serveStaticOptions: { index: 'index.html', maxAge: '1h', immutable: false },
    }),
  ];
}
