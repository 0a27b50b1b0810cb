import { defineConfig } from 'vite';

// `vite build libs/gatehouse-sdk` writes dist/gatehouse.js (the library, served at /sdk/gatehouse.js and
// imported from Node as the package) and dist/hosted-login.js (the hosted login page's script). The two
// share no module, so each is one self-contained ES module.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    minify: 'esbuild',
    lib: {
      entry: { gatehouse: 'src/index.ts', 'hosted-login': 'src/hosted-login/page.ts' },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
  },
});
