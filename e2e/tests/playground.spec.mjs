// The playground served by `replicast serve`, in Chromium: the page loads the
// WASM, draws the chart, and redraws it when an input changes. The proof is
// read from the canvas pixels, not only from the DOM.
import { test, expect } from "@playwright/test";

/** Reads the chart's pixels and sums up what the test checks. */
function chartSummary(page) {
  return page.locator("#chart").evaluate((canvas) => {
    const { width, height } = canvas;
    const { data } = canvas.getContext("2d").getImageData(0, 0, width, height);
    const near = (i, [r, g, b], tol) =>
      Math.abs(data[i] - r) <= tol &&
      Math.abs(data[i + 1] - g) <= tol &&
      Math.abs(data[i + 2] - b) <= tol;
    let curvePixels = 0;
    let inked = 0;
    let hash = 2166136261;
    const targetColumn = new Array(width).fill(0);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        hash = Math.imul(hash ^ data[i] ^ (data[i + 1] << 8) ^ (data[i + 2] << 16), 16777619) >>> 0;
        if (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250) inked++;
        if (near(i, [31, 119, 180], 40)) curvePixels++;
        // The target line: a vertical orange (255, 127, 14) line.
        if (near(i, [255, 127, 14], 40)) targetColumn[x]++;
      }
    }
    const targetX = targetColumn.indexOf(Math.max(...targetColumn));
    return { width, height, curvePixels, inked, hash, targetX, targetRun: targetColumn[targetX] };
  });
}

test("chart redraws when an input changes", async ({ page }, testInfo) => {
  const problems = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });

  await page.goto("/");
  await expect(page.locator("h1")).toHaveText("replicast playground");
  // 4 replicas at 90 % against a 60 % target: ceil(4 * 90 / 60) = 6.
  await expect(page.locator("#desired")).toHaveText("6");
  await expect.poll(async () => (await chartSummary(page)).curvePixels).toBeGreaterThan(300);
  const before = await chartSummary(page);
  expect(before.width).toBe(720);
  expect(before.inked).toBeGreaterThan(2000);
  expect(before.targetRun).toBeGreaterThan(100);
  await page.screenshot({ path: testInfo.outputPath("before.png"), fullPage: true });

  // Double the target: the desired count drops and the target line moves right.
  await page.locator("#target").fill("120");
  await expect(page.locator("#desired")).toHaveText("3");
  await expect.poll(async () => (await chartSummary(page)).hash).not.toBe(before.hash);
  const after = await chartSummary(page);
  expect(after.curvePixels).toBeGreaterThan(300);
  expect(after.targetRun).toBeGreaterThan(100);
  // 60 % -> 120 % of a 0..200 % axis is 30 % of the plot's width, > 150 px here.
  expect(after.targetX - before.targetX).toBeGreaterThan(150);

  const shot = testInfo.outputPath("playground.png");
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach("playground", { path: shot, contentType: "image/png" });
  testInfo.annotations.push({ type: "pixels", description: JSON.stringify({ before, after }) });
  expect(problems).toEqual([]);
});
