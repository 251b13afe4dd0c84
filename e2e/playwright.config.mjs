// Playwright drives Debian's Chromium (/usr/bin/chromium): nothing is
// downloaded. `cargo xtask test` builds the playground into dist/ and the
// `replicast` binary, then runs this with REPLICAST_BIN, REPLICAST_DIST and a
// free REPLICAST_E2E_PORT; the defaults suit a manual `npx playwright test`
// after `cargo xtask build`.
import { defineConfig } from "@playwright/test";

const port = Number(process.env.REPLICAST_E2E_PORT ?? 8089);
const bin = process.env.REPLICAST_BIN ?? "../target/debug/replicast";
const dist = process.env.REPLICAST_DIST ?? "../dist";

export default defineConfig({
  testDir: "./tests",
  outputDir: "./test-results",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    viewport: { width: 1280, height: 720 },
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: `"${bin}" serve --addr 127.0.0.1 --port ${port} --dir "${dist}"`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
  },
});
