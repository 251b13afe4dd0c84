// The load and workload forms rewrite the scenario text in place (the rest
// of the YAML stays as written) and every change redraws at once.
import { test, expect } from "@playwright/test";
import { open, waitDrawn, generation, canvasStats, summary, slide, shot, watchConsole } from "./helpers.mjs";

async function scenarioText(page) {
  await page.locator("#tab-yaml").click();
  await page.locator("#view-scenario").click();
  return page.locator("#editor").inputValue();
}

test("load segments: slide, type, add, remove, and a dropped CSV trace", async ({ page }, testInfo) => {
  const console = watchConsole(page);
  await open(page);
  const original = await scenarioText(page);
  const chart0 = await canvasStats(page, "#chart-capacity");
  await page.locator("#tab-load").click();
  const segments = page.locator("fieldset.segment");
  const count = await segments.count();
  expect(count).toBeGreaterThanOrEqual(3);

  // Slide the ramp's rate: the text changes in place, comments kept.
  let before = await generation(page);
  const ramp = page.locator('fieldset.segment[data-kind="ramp"]');
  await slide(ramp.locator('input.slider[data-path$=".ramp.rate"]'), 80);
  await waitDrawn(page, before);
  expect((await canvasStats(page, "#chart-capacity")).hash).not.toBe(chart0.hash);
  // Type a duration into the ramp's start (half-way to its end), in hours
  // and minutes: the scenario gets it in one unit, as the engine reads it.
  const to = Number(await ramp.locator('input.slider[data-path$=".ramp.to"]').inputValue());
  const minutes = Math.max(1, Math.round(to / 120));
  const typed = minutes >= 60 ? `${Math.floor(minutes / 60)}h ${minutes % 60}m` : `${minutes}m`;
  const written = minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;
  before = await generation(page);
  await ramp.locator('input.num[data-path$=".ramp.from"]').fill(typed);
  await ramp.locator('input.num[data-path$=".ramp.from"]').press("Enter");
  await waitDrawn(page, before);
  let text = await scenarioText(page);
  expect(text).toMatch(new RegExp(`\\{ramp: \\{from: ${written}, to: [^,]+, rate: 80\\}\\}`));
  // Everything else is as written (the manifests' comments included).
  const rest = (t) => t.split("\n").filter((l) => !l.includes("ramp:"));
  expect(rest(text)).toEqual(rest(original));

  // Add a spike, then remove it.
  await page.locator("#tab-load").click();
  before = await generation(page);
  await page.locator("#add-segment").selectOption("spike");
  await waitDrawn(page, before);
  await expect(segments).toHaveCount(count + 1);
  await expect(segments.last()).toHaveAttribute("data-kind", "spike");
  before = await generation(page);
  await segments.last().locator("button.x").click();
  await waitDrawn(page, before);
  await expect(segments).toHaveCount(count);

  // A CSV trace from a file.
  before = await generation(page);
  await page.locator("#csv-file").setInputFiles({
    name: "load.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("t,rate\n0,5\n3600,80\n7200,5\n"),
  });
  await waitDrawn(page, before);
  await expect(segments).toHaveCount(count + 1);
  await expect(segments.last().locator("textarea.csv")).toHaveValue("t,rate\n0,5\n3600,80\n7200,5\n");
  await shot(page, testInfo, "load-form");
  text = await scenarioText(page);
  expect(text).toContain("  - trace:\n      csv: |\n        t,rate\n        0,5\n");
  console.check();
});

test("workload: capacity, mode and the readiness probe", async ({ page }, testInfo) => {
  const console = watchConsole(page);
  await open(page);
  const sum0 = await summary(page);
  await page.locator("#tab-workload").click();
  await expect(page.locator("#readiness")).toContainText("initialDelaySeconds 90s");
  const before = await generation(page);
  await slide(page.locator('input.slider[data-path="workload.capacityPerReplica"]'), 20);
  await waitDrawn(page, before);
  const sum1 = await summary(page);
  expect(sum1.replicaHours[0]).not.toBe(sum0.replicaHours[0]);
  await expect(page.locator("#f-workload-capacityPerReplica")).toHaveValue("20");
  await shot(page, testInfo, "workload-form");
  // The probe lives in the manifests: the form leads there.
  await page.locator("#readiness + button").click();
  const caretLine = await page.locator("#editor").evaluate((el) => {
    const lines = el.value.slice(0, el.selectionStart).split("\n");
    return el.value.split("\n")[lines.length - 1];
  });
  expect(caretLine.trim()).toBe("readinessProbe:");
  console.check();
});
