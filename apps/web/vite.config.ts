import { defineConfig } from 'vite';

// `vite build apps/web` writes dist/, which the gateway serves at `/`.
// `vite apps/web` is a development server that proxies the API to a gateway on port 3000.
export default defineConfig({
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', assetsInlineLimit: 0, reportCompressedSize: false },
  server: { proxy: { '/api': { target: 'http://localhost:3000', ws: true } } },
});
