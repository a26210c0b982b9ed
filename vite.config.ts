import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is built once and served by either host: the Electron shell (siteshift:// protocol)
// and the web host (http://127.0.0.1). Relative asset paths work under both.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Maps are written for crash analysis but no served file points at them; the web host refuses *.map.
    sourcemap: 'hidden',
    chunkSizeWarningLimit: 2500,
  },
  worker: { format: 'es' },
});
