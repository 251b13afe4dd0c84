// Performance, measured in the browser and reported (not a pass/fail gate
// beyond sanity: the machine running CI is shared): input event → charts
// redrawn for the inference preset (2 variants, at 4 h and 6 h at 1 s),
// scrubbing, time to first chart, and the page's transfer size gzipped.
import { test, expect } from "@playwright/test";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { open, waitDrawn, generation, slide, median, watchConsole } from "./helpers.mjs";

const dist = process.env.REPLICAST_DIST ?? "../dist";

async function drag(page, locator, values) {
  for (const v of values) {
    const before = await generation(page);
    await slide(locator, v);
    await waitDrawn(page, before);
  }
}

test("input to redraw, scrubbing, first chart and transfer size", async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const console = watchConsole(page);
  const t0 = Date.now();
  await open(page);
  const firstChart = await page.evaluate(() => window.__replicast.firstChart);
  const report = { firstChartMs: firstChart, firstChartWallMs: Date.now() - t0 };

  // Transfer size: the files the page loads, gzipped (-9).
  const files = readdirSync(dist).filter((f) => /\.(html|js|wasm)$/.test(f));
  report.files = Object.fromEntries(
    files.map((f) => {
      const raw = readFileSync(join(dist, f));
      return [f, { bytes: raw.length, gzip: gzipSync(raw, { level: 9 }).length }];
    }),
  );
  report.transferGzipBytes = Object.values(report.files).reduce((a, f) => a + f.gzip, 0);

  await page.locator("#tab-load").click();
  const rate = page.locator('input.slider[data-path="load.0.constant"]');
  const values = Array.from({ length: 31 }, (_, i) => 12 + (i % 16));
  const measure = async (label) => {
    await page.evaluate(() => {
      for (const k of ["redraw", "runs", "check", "draw", "decode", "toWorker", "fromWorker"]) window.__replicast[k].length = 0;
    });
    await drag(page, rate, values);
    const p = await page.evaluate(() => window.__replicast);
    report[label] = {
      inputToRedrawMedianMs: median(p.redraw.slice(1)),
      inputToRedrawMinMs: Math.min(...p.redraw),
      samples: p.redraw.length,
      workerRunMedianMs: median(p.runs),
      pageCheckMedianMs: median(p.check),
      drawMedianMs: median(p.draw),
      decodeMedianMs: median(p.decode),
      toWorkerMedianMs: median(p.toWorker),
      fromWorkerMedianMs: median(p.fromWorker),
      workers: p.workers,
    };
  };
  await measure("inference6h");
  // The same preset cut to 4 h.
  const duration = page.locator("#f-duration");
  let before = await generation(page);
  await duration.fill("4h");
  await duration.press("Enter");
  await waitDrawn(page, before);
  await expect(page.locator("#cursor")).toHaveAttribute("max", "14400");
  await measure("inference4h");

  // Scrubbing: the cursor moves, the charts are not redrawn.
  await page.evaluate(() => { window.__replicast.scrub.length = 0; });
  const cursor = page.locator("#cursor");
  for (let i = 0; i < 40; i++) await slide(cursor, 600 + i * 300);
  await expect.poll(() => page.evaluate(() => window.__replicast.scrub.length)).toBeGreaterThanOrEqual(40);
  report.scrubMedianMs = median(await page.evaluate(() => window.__replicast.scrub));
  report.cores = await page.evaluate(() => navigator.hardwareConcurrency);

  const path = testInfo.outputPath("perf.json");
  writeFileSync(path, JSON.stringify(report, null, 2));
  await testInfo.attach("perf", { path, contentType: "application/json" });
  testInfo.annotations.push({ type: "perf", description: JSON.stringify(report) });
  process.stdout.write(`perf: ${JSON.stringify(report)}\n`);

  // The budget was 600 KB until the engine carried the IANA time zone
  // database (jiff's bundle, 381 KB raw, 120 KB gzipped) so that cron
  // triggers' timezones evaluate exactly in the browser too; without it the
  // page is about 567 KB. Loading that database on demand would win it back.
  // The Tune tab (the engine's tune search, knob derivation and text
  // rewriting, planned on the page) added about 97 KB gzipped (the wasm
  // 687 → 785 KB at the same main); the page was 821 KB in all when this
  // budget was set. Loading the Tune tab's code on demand would win it back.
  expect(report.transferGzipBytes, "first load ≤ 850 KB gzipped").toBeLessThanOrEqual(850 * 1024);
  expect(report.inference4h.samples).toBeGreaterThanOrEqual(30);
  expect(report.inference4h.inputToRedrawMedianMs).toBeLessThan(2000);
  expect(report.scrubMedianMs).toBeLessThan(200);
  console.check();
});
