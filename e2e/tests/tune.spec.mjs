// The Tune tab: the knobs listed and editable, a run split across workers
// with its progress, the frontier and the best as a diff, the best loaded
// as the compare variant, and a long run cancelled.
import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { open, setEditor, shot, waitDrawn, generation, watchConsole } from "./helpers.mjs";

/** engine/tests/support/tune-step.yaml with this duration and `tune:`. */
function scenario(duration, tune) {
  const text = readFileSync(new URL("../../engine/tests/support/tune-step.yaml", import.meta.url), "utf8");
  return text.replace("duration: 2h", `duration: ${duration}`).replace(/^tune: .*$/m, `tune: ${tune}`);
}

async function load(page, text) {
  await page.locator("#tab-yaml").click();
  const before = await generation(page);
  await setEditor(page, text);
  await waitDrawn(page, before);
}

test("tune: knobs, run with progress, frontier, best as the compare variant, cancel", async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const console = watchConsole(page);
  await open(page);
  await load(page, scenario("2h", "{budget: 60}"));

  // A click on a value in the manifests offers it as a knob.
  await page.locator("#view-manifests").click();
  await page.locator("#editor").evaluate((el) => {
    const i = el.value.indexOf("70}") + 1;
    el.setSelectionRange(i, i);
    el.dispatchEvent(new MouseEvent("click", { bubbles: true }));
  });
  await expect(page.locator("#tune-add")).toContainText("spec.metrics[0].resource.target.averageUtilization");
  await page.locator("#tune-add").click();
  await expect(page.locator("#tab-tune")).toHaveAttribute("aria-selected", "true");
  const utilization = page.locator("#tune-knobs li", { hasText: "averageUtilization" }).locator("input.values");
  await expect(utilization).toHaveValue("35, 53, 70, 105, 140");

  // The knobs the engine derived from the HPA, each with its values.
  const knobs = page.locator("#tune-knobs li");
  await expect(knobs.first()).toBeVisible();
  expect(await knobs.count()).toBeGreaterThanOrEqual(3);
  await expect(page.locator("#tune-knobs")).toContainText("spec.minReplicas");

  // Editing a knob's values writes tune.knobs into the scenario.
  const min = page.locator("#tune-knobs li", { hasText: "spec.minReplicas" }).locator("input.values");
  await min.fill("1, 2, 3");
  await min.press("Enter");
  await expect(min).toHaveValue("1, 2, 3");
  await page.locator("#tab-yaml").click();
  await page.locator("#view-scenario").click();
  await expect(page.locator("#editor")).toHaveValue(/knobs:[\s\S]*spec\.minReplicas[\s\S]*values: \[1, 2, 3\]/);
  await page.locator("#tab-tune").click();

  // Run: progress while workers run the candidates, then the result.
  await page.locator("#tune-run").click();
  await expect(page.locator("#tune-progress")).toBeVisible();
  await expect(page.locator(".tune-progress")).toContainText("workers");
  await expect(page.locator("#tune-summary")).toContainText("candidates", { timeout: 120_000 });
  await expect(page.locator("#tune-summary")).not.toContainText("cancelled");
  await expect(page.locator("#frontier")).toBeVisible();
  await expect(page.locator("#tune-best")).toContainText("Best: cost");
  await expect(page.locator("#tune-diff .add").first()).toBeVisible();
  const ms = await page.evaluate(() => window.__replicast.tuneMs);
  expect(ms).toBeGreaterThan(0);
  const ran = await page.locator("#tune-summary").textContent();
  const workers = await page.evaluate(() => navigator.hardwareConcurrency);
  process.stdout.write(`tune: ${ran} (2 h at 1 s, ${workers} cores; Run to result ${Math.round(ms)} ms)\n`);

  // The best as the compare variant: the charts and summary show both.
  let before = await generation(page);
  await page.locator("#tune-load-best").click();
  await waitDrawn(page, before);
  // Two variants; the tuned one costs less (its delta is marked better).
  await expect(page.locator('#summary td[data-metric="cost"]')).toHaveCount(2);
  await expect(page.locator('#summary td[data-metric="cost"][data-variant="1"] small.better')).toBeVisible();
  await shot(page, testInfo, "tune");
  await testInfo.attach("tune", { path: testInfo.outputPath("tune.png"), contentType: "image/png" });
  await page.locator("#tab-yaml").click();
  await expect(page.locator("#view-variant-1")).toHaveAttribute("aria-label", "Manifests of variant tuned");

  // A long run, cancelled once some candidates came back: the result so far.
  await load(page, scenario("24h", "{budget: 2000}"));
  await page.locator("#tab-tune").click();
  await page.evaluate(() => { window.__replicast.tuneDone = 0; });
  await page.locator("#tune-run").click();
  await expect.poll(() => page.evaluate(() => window.__replicast.tuneDone), { timeout: 60_000 }).toBeGreaterThan(0);
  await page.locator("#tune-cancel").click();
  await expect(page.locator("#tune-note")).toContainText("Cancelled");
  await expect(page.locator("#tune-run")).toBeVisible();
  await expect(page.locator("#tune-summary")).toContainText("(cancelled)");
  console.check();
});
