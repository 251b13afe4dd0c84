// Compare: the configuration is duplicated into variant B; editing B
// changes B's column of the summary and its lines on the charts, not A's.
import { test, expect } from "@playwright/test";
import { open, waitDrawn, generation, canvasStats, summary, setEditor, shot, watchConsole } from "./helpers.mjs";

test("a variant edit changes the comparison", async ({ page }, testInfo) => {
  const console = watchConsole(page);
  await open(page, "#p=batch-keda-idle");
  const alone = await summary(page);
  expect(alone.replicaHours).toHaveLength(1);

  let before = await generation(page);
  await page.locator("#duplicate").click();
  await waitDrawn(page, before);
  await expect(page.locator("#view-variant-1")).toHaveAttribute("aria-pressed", "true");
  const twins = await summary(page);
  expect(twins.replicaHours).toHaveLength(2);
  // Identical copies: identical numbers (B's delta reads "=").
  for (const metric of ["replicaHours", "cost", "secondsOverSlo", "peakReplicas", "scaleEvents"]) {
    expect(twins[metric][1], metric).toBe(`${twins[metric][0]}=`);
  }
  const chartBefore = await canvasStats(page, "#chart-capacity");
  expect(chartBefore.counts.variantB).toBeGreaterThan(100);

  // Edit B: at most 4 replicas instead of 20.
  const text = await page.locator("#editor").inputValue();
  expect(text).toContain("maxReplicaCount: 20");
  before = await generation(page);
  await setEditor(page, text.replace("maxReplicaCount: 20", "maxReplicaCount: 4"));
  await waitDrawn(page, before);
  const after = await summary(page);
  expect(after.peakReplicas[0]).toBe("20");
  expect(after.peakReplicas[1]).toMatch(/^4/);
  expect(after.replicaHours[0]).toBe(twins.replicaHours[0]);
  expect(after.replicaHours[1]).not.toBe(twins.replicaHours[1]);
  // B waits longer: more time over the SLO, shown as worse.
  await expect(page.locator('#summary td[data-metric="secondsOverSlo"][data-variant="1"] small')).toHaveClass(/worse/);
  const chartAfter = await canvasStats(page, "#chart-capacity");
  expect(chartAfter.hash).not.toBe(chartBefore.hash);
  // A's manifests are untouched.
  await page.locator("#view-manifests").click();
  await expect(page.locator("#editor")).toHaveValue(/maxReplicaCount: 20/);
  await shot(page, testInfo, "compare");
  console.check();
});
