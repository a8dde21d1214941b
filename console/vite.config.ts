// The console is served by the hub from its own origin: every asset under /assets/, no
// inline script or style (the hub's Content-Security-Policy allows only 'self').
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [vue()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    assetsInlineLimit: 0, // fonts and pictures as files, never data: URLs in scripts
    modulePreload: { polyfill: false }, // the polyfill would be inline script
    chunkSizeWarningLimit: 1500,
  },
})
