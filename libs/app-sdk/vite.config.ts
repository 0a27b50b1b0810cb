import { defineConfig } from 'vite';

// `vite build libs/app-sdk` writes dist/app.js: one ES module, which the gateway serves at /sdk/app.js.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    minify: 'esbuild',
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'app.js' },
  },
});
