import { defineConfig } from 'vite';

// `npm run build:dashboard` writes client/dashboard/dist, which the server serves at /.
// `npm run dev:dashboard` serves the sources with hot reload and forwards the API to a
// server on LAB_SERVER (default http://127.0.0.1:4000).
const server = process.env.LAB_SERVER ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: {
      '/graphql': { target: server, ws: true },
      '/files': server,
    },
  },
});
