import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000';

// `vite build` writes dist/apps/web, which the gateway serves. `vite` (dev, hot reload) forwards /api and /auth to a
// running gateway so the page still has one origin for its cookie.
export default defineConfig({
  root: here,
  plugins: [react()],
  build: { outDir: path.resolve(here, '../../dist/apps/web'), emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': gateway, '/auth': gateway } },
});
