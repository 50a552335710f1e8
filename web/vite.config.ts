/**
 * The web UI build: React through Vite's own esbuild JSX transform (no plugin needed for a production build).
 * `npm run build:web` writes web/dist, which the API server serves at /. In development, `npx vite web` proxies the
 * API to a running `plantfabric start` or `plantfabric demo` on port 8080.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/metrics': 'http://127.0.0.1:8080' } },
});
