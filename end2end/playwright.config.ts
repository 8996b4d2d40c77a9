import { availableParallelism } from "node:os";
import { defineConfig, devices } from "@playwright/test";

// The server under test is started by `make test` (scripts/test.sh), which
// passes its address in BASE_URL. Chromium is Debian's: Playwright downloads
// no browser here.
const baseURL = process.env.BASE_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  // One worker per core: the browser suite is CPU-bound (Chromium, axe and
  // the server share the machine). On 2 cores, 4 workers took as long as 2
  // (2.8 min against 2.9) and pushed two axe checks past their timeout.
  workers: Math.max(1, availableParallelism()),
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: process.env.PLAYWRIGHT_JSON ?? "test-results/results.json" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      // `make test-clock` preloads libfaketime into the tests; Chromium
      // hangs on a navigation under it, and no page script reads the clock
      // (the server renders every date), so the browser keeps the real one.
      env: { ...process.env, LD_PRELOAD: "" },
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
  projects: [
    {
      name: "phone",
      use: {
        ...devices["Pixel 7"],
        // Same phone, but Debian's Chromium rather than a downloaded one.
        browserName: "chromium",
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        // A Vietnamese phone: Playwright would otherwise send Accept-Language: en-US.
        locale: "vi-VN",
      },
    },
    {
      // Reception desks also run the staff console on a tablet.
      name: "tablet",
      testMatch: /staff\.spec\.ts/,
      use: {
        browserName: "chromium",
        viewport: { width: 820, height: 1180 },
        isMobile: true,
        hasTouch: true,
        locale: "vi-VN",
      },
    },
  ],
});
