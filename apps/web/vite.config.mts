import react from '@vitejs/plugin-react-swc';
import { defineConfig } from 'vitest/config';

// Built into dist/web, which the API process serves at `/`; `npm run dev:web` proxies the API.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: '../../dist/web', emptyOutDir: true, reportCompressedSize: true },
  server: { proxy: { '/v1': 'http://localhost:3000' } },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test-setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
