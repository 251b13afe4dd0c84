// The page as a whole: fits 1280×720 and a laptop screen, works from the
// keyboard, labels every control, and loads from its static files alone.
import { test, expect } from "@playwright/test";
import { open, waitDrawn, generation, shot, watchConsole } from "./helpers.mjs";

for (const [width, height] of [[1280, 720], [1440, 900]]) {
  test(`fits ${width}×${height}`, async ({ page }, testInfo) => {
    const console = watchConsole(page);
    await page.setViewportSize({ width, height });
    await open(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, "no horizontal scrolling").toBeLessThanOrEqual(0);
    for (const id of ["#chart-capacity", "#chart-metrics", "#chart-latency", "#editor", "#readout"]) {
      const box = await page.locator(id).boundingBox();
      expect(box.width, `${id} width`).toBeGreaterThan(200);
      expect(box.y + Math.min(box.height, 60), `${id} starts on screen`).toBeLessThanOrEqual(height);
    }
    const last = await page.locator("#chart-latency").boundingBox();
    expect(last.y + last.height, "all three charts on screen").toBeLessThanOrEqual(height);
    await shot(page, testInfo, `page-${width}x${height}`);
    console.check();
  });
}

test("works from the keyboard and labels every control", async ({ page }) => {
  const console = watchConsole(page);
  await open(page);
  // Tab from the top reaches the presets first; Enter loads one.
  await page.keyboard.press("Tab");
  await expect(page.locator("button.preset").first()).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.locator('button[data-preset="batch-keda-idle"]')).toBeFocused();
  const before = await generation(page);
  await page.keyboard.press("Enter");
  await waitDrawn(page, before);
  await expect(page.locator('button[data-preset="batch-keda-idle"]')).toHaveAttribute("aria-pressed", "true");
  // Tabs switch with the keyboard too.
  await page.locator("#tab-load").focus();
  await page.keyboard.press("Enter");
  await expect(page.locator("#tab-load")).toHaveAttribute("aria-selected", "true");
  await expect(page.locator("fieldset.segment").first()).toBeVisible();

  // Every control has a name.
  for (const tab of ["#tab-yaml", "#tab-load", "#tab-workload"]) {
    await page.locator(tab).click();
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll("input, select, textarea, button")]
        .filter((el) => el.offsetParent !== null || el.type === "file")
        .filter((el) => {
          const labelled = (el.labels && el.labels.length > 0) || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
          const text = el.tagName === "BUTTON" && el.textContent.trim();
          return !(labelled || text);
        })
        .map((el) => el.outerHTML.slice(0, 120)),
    );
    expect(unnamed, `unnamed controls on ${tab}`).toEqual([]);
  }
  console.check();
});

test("loads from its static files alone", async ({ page }) => {
  const console = watchConsole(page);
  const requests = [];
  page.on("request", (r) => requests.push(new URL(r.url())));
  await open(page);
  const origin = new URL(page.url()).origin;
  const foreign = requests.filter((u) => u.origin !== origin && !["blob:", "data:"].includes(u.protocol));
  expect(foreign.map(String)).toEqual([]);
  // The simulation workers start from a blob: URL made by the page itself.
  const paths = new Set(requests.filter((u) => u.protocol.startsWith("http") && u.origin === origin).map((u) => u.pathname));
  expect([...paths].sort()).toEqual(["/", "/replicast_web.js", "/replicast_web_bg.wasm"]);
  console.check();
});
