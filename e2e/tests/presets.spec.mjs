// Every seed preset loads in one click; its three charts are drawn (read
// from the canvas pixels, not the DOM) and the summary shows numbers.
import { test, expect } from "@playwright/test";
import { open, waitDrawn, generation, canvasStats, summary, shot, watchConsole } from "./helpers.mjs";

const PRESETS = [
  { id: "inference-ramp-spike", label: "GPU inference", variants: 2 },
  { id: "batch-keda-idle", label: "Batch from zero", variants: 1 },
  { id: "training-sqs-cooldowns", label: "Training cooldown", variants: 2 },
  { id: "hybrid-paused", label: "Misplaced pause", variants: 2 },
  { id: "knative-model-server", label: "Model server on Knative", variants: 1 },
  // A ScaledJob: no metric columns, no latency model (NaN): only the
  // capacity chart carries series.
  { id: "batch-scaledjob", label: "Batch jobs from a queue", variants: 1, jobs: true },
];

for (const preset of PRESETS) {
  test(`preset ${preset.id}: charts render and the summary shows numbers`, async ({ page }, testInfo) => {
    const console = watchConsole(page);
    // Start on another preset, then load this one with one click.
    const start = PRESETS.find((p) => p.id !== preset.id);
    await open(page, `#p=${start.id}`);
    const before = await generation(page);
    await page.locator(`button[data-preset="${preset.id}"]`).click();
    await waitDrawn(page, before);
    await expect(page.locator(`button[data-preset="${preset.id}"]`)).toHaveAttribute("aria-pressed", "true");
    await expect(page.locator("#preset-note h2")).toContainText(preset.label);

    const dpr = await page.evaluate(() => window.devicePixelRatio);
    for (const id of ["#chart-capacity", "#chart-metrics", "#chart-latency"]) {
      const s = await canvasStats(page, id);
      // Sized in device pixels: crisp at any ratio.
      expect(s.width, `${id} width`).toBe(Math.round(s.cssWidth * dpr));
      // Axes, grid, labels and series: well over a few percent of the pixels.
      expect(s.inked, `${id} inked pixels`).toBeGreaterThan(s.width * s.height * 0.03);
      if (id === "#chart-capacity") {
        // Each variant's ready capacity (B is drawn over A where they agree).
        expect(s.counts.variantA, "variant A's lines").toBeGreaterThan(20);
        if (preset.variants > 1) expect(s.counts.variantB, "variant B's lines").toBeGreaterThan(20);
        expect(s.counts.variantA + s.counts.variantB, "capacity lines").toBeGreaterThan(300);
      } else if (!preset.jobs) {
        // The target line (metrics) and the SLO line (latency), dashed red.
        expect(s.counts.limit, `${id} target/SLO line`).toBeGreaterThan(40);
      }
      if (id === "#chart-metrics" && !preset.jobs) expect(s.counts.metric0, "first metric's line").toBeGreaterThan(100);
    }

    const sum = await summary(page);
    const numeric = ["replicaHours", "cost", "secondsOverSlo", "dropped", "scaleEvents", "peakReplicas"];
    for (const metric of numeric.filter((m) => !(preset.jobs && m === "secondsOverSlo"))) {
      expect(sum[metric], metric).toHaveLength(preset.variants);
      for (const cell of sum[metric]) expect(cell, `${metric} shows a number`).toMatch(/\d/);
    }
    expect(Number(sum.scaleEvents[0].replace(/[^\d].*$/, "").replace(/,/g, ""))).toBeGreaterThan(0);
    await expect(page.locator("#readout tr[data-row='desired'] td")).toHaveCount(preset.variants);
    await shot(page, testInfo, preset.id);
    console.check();
  });
}

test.describe("on a high-DPI screen", () => {
  test.use({ deviceScaleFactor: 2 });
  test("canvases carry twice the pixels of their CSS size", async ({ page }, testInfo) => {
    const console = watchConsole(page);
    await open(page);
    for (const id of ["#chart-capacity", "#chart-metrics", "#chart-latency"]) {
      const s = await canvasStats(page, id);
      expect(s.width).toBe(Math.round(s.cssWidth * 2));
      expect(s.inked).toBeGreaterThan(s.width * s.height * 0.03);
    }
    await shot(page, testInfo, "hidpi");
    console.check();
  });
});
