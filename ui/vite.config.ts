import { defineConfig } from "vitest/config";

// The window loads only what is bundled here: no CDN, no remote fonts.
export default defineConfig({
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    target: "safari15",
    outDir: "dist",
    emptyOutDir: true,
    // Assets inline as data: URLs stay within CSP img-src 'self' data:.
    assetsInlineLimit: 8192,
  },
  test: {
    environment: "happy-dom",
    include: ["test/**/*.test.ts"],
  },
});
