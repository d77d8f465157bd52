/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// One origin for the SPA and /api in dev and preview, like NGINX in production, so the
// SameSite=Strict session cookie (Path=/api) flows without CORS.
const apiTarget = process.env.KEYDASH_API_URL ?? 'http://127.0.0.1:8000';
const proxy = {
  '/api': { target: apiTarget, changeOrigin: false, xfwd: true },
};

export default defineConfig({
  plugins: [react()],
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: 'dist',
    sourcemap: false,
    // dist/.vite/manifest.json maps source modules to chunks; scripts/size.mjs reads it.
    manifest: true,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test-utils/setup.ts'],
    css: false,
    restoreMocks: true,
    testTimeout: 15000,
  },
});
