// Shared by the playground's browser tests: page set-up that fails a test
// on any console error, waiting for the charts of the current scenario, and
// reading the charts' canvas pixels.
import { expect } from "@playwright/test";

/** The colours the charts draw with (web/src/charts.rs). */
export const COLORS = {
  variantA: [37, 99, 235],
  variantB: [234, 88, 12],
  limit: [220, 38, 38],
  metric0: [13, 148, 136],
};

export const CHARTS = ["#chart-capacity", "#chart-metrics", "#chart-latency"];

/** Collects console errors and page errors; `check()` asserts there were none. */
export function watchConsole(page) {
  const problems = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  return {
    problems,
    check: () => expect(problems, "console errors").toEqual([]),
  };
}

/** The generation (scenario text version) the page is on. */
export async function generation(page) {
  return Number(await page.locator(".app").getAttribute("data-generation"));
}

/** Waits until the charts show the page's current scenario. */
export async function waitDrawn(page, after = 0) {
  await expect
    .poll(async () => {
      const app = page.locator(".app");
      const drawn = Number((await app.getAttribute("data-drawn")) ?? -1);
      const gen = Number(await app.getAttribute("data-generation"));
      return drawn >= gen && drawn > after;
    }, { timeout: 60_000 })
    .toBe(true);
}

/** Opens the page (optionally at a fragment) and waits for the first charts. */
export async function open(page, fragment = "") {
  await page.goto(`/${fragment}`);
  await expect(page.locator(".app")).toBeVisible();
  await waitDrawn(page);
}

/** Reads one canvas: size, inked pixels, pixels near each colour, a hash. */
export function canvasStats(page, selector) {
  return page.locator(selector).evaluate((canvas, colors) => {
    const { width, height } = canvas;
    const { data } = canvas.getContext("2d").getImageData(0, 0, width, height);
    const counts = Object.fromEntries(Object.keys(colors).map((k) => [k, 0]));
    let inked = 0;
    let hash = 2166136261;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      hash = Math.imul(hash ^ r ^ (g << 8) ^ (b << 16), 16777619) >>> 0;
      if (r < 245 || g < 245 || b < 245) inked++;
      for (const [k, [cr, cg, cb]] of Object.entries(colors)) {
        if (Math.abs(r - cr) <= 24 && Math.abs(g - cg) <= 24 && Math.abs(b - cb) <= 24) counts[k]++;
      }
    }
    return { width, height, cssWidth: canvas.clientWidth, inked, hash, counts };
  }, COLORS);
}

/** Every chart's stats. */
export async function allCharts(page) {
  const out = {};
  for (const c of CHARTS) out[c] = await canvasStats(page, c);
  return out;
}

/** The summary as {metric: [cell text per variant]}. */
export function summary(page) {
  return page.locator("#summary").evaluate((el) => {
    const out = {};
    for (const td of el.querySelectorAll("td[data-metric]")) {
      (out[td.dataset.metric] ??= [])[Number(td.dataset.variant)] = td.textContent.trim();
    }
    return out;
  });
}

/** The readout as {row: [cell text per variant]} plus its time. */
export function readout(page) {
  return page.locator("#readout").evaluate((el) => {
    const out = { time: el.querySelector("#readout-time").textContent };
    for (const tr of el.querySelectorAll("tr[data-row]")) {
      out[tr.dataset.row] = [...tr.querySelectorAll("td")].map((td) => td.textContent.trim());
    }
    out.decisions = [...el.querySelectorAll(".decision .why")].map((p) => p.textContent.trim());
    return out;
  });
}

/** Sets a range input's value as a user's drag would, firing `input`. */
export async function slide(locator, value) {
  await locator.evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }, value);
}

/** Replaces the editor's whole text as typing or pasting would. */
export async function setEditor(page, text) {
  await page.locator("#editor").evaluate((el, t) => {
    el.value = t;
    el.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
  }, text);
}

/** Saves a screenshot as a test artifact. */
export async function shot(page, testInfo, name) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** The median of numbers. */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
