import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// `vite build apps/web` writes dist/, which the gateway serves at `/`.
// `vite apps/web` is a development server that proxies the API to a gateway on port 3000.
export default defineConfig({
  base: '/',
  // The login library by source, as the contracts are (its package exports only its built bundle).
  resolve: {
    alias: [
      { find: /^@gatehouse\/gatehouse-sdk\/src\//, replacement: fileURLToPath(new URL('../../libs/gatehouse-sdk/src/', import.meta.url)) },
    ],
  },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', assetsInlineLimit: 0, reportCompressedSize: false },
  server: { proxy: { '/api': { target: 'http://localhost:3000', ws: true } } },
});
