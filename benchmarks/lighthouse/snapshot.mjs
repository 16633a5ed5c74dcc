// Lighthouse in snapshot mode on the report page after a batch completed, so the filled results
// table is audited too (a navigation run only sees the empty form).
// Usage: node snapshot.mjs <folder with node_modules> '<json options>'
//   options: {url, chromium, flags, apiKey, items, timeoutMs, colorScheme: "light" | "dark"}
// Prints one JSON line: {"categories": {name: score}, "failing": ["category: title (score)"]}.
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [folder, raw] = process.argv.slice(2);
const options = JSON.parse(raw);
const load = (path) => import(pathToFileURL(join(folder, "node_modules", path)).href);
const { default: puppeteer } = await load("puppeteer-core/lib/esm/puppeteer/puppeteer-core.js");
const { snapshot, desktopConfig } = await load("lighthouse/core/index.js");

const categories = ["accessibility", "best-practices", "seo"];
const browser = await puppeteer.launch({
  executablePath: options.chromium,
  args: ["--headless=new", ...options.flags],
  headless: true,
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1350, height: 940 });
  await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: options.colorScheme }]);
  await page.goto(options.url, { waitUntil: "load" });
  await page.type("#items", options.items.join("\n"));
  await page.type("#api-key", options.apiKey);
  await page.click("#submit");
  await page.waitForFunction(
    "window.scanState.phase === 'completed' && !document.getElementById('downloads').hidden" +
      " && [...document.querySelectorAll('#results img')].every(i => i.complete && i.naturalWidth)",
    { timeout: options.timeoutMs },
  );
  const config = { ...desktopConfig, settings: { ...desktopConfig.settings, onlyCategories: categories } };
  const result = await snapshot(page, { config });
  const { lhr } = result;
  const failing = [];
  for (const name of categories) {
    for (const ref of lhr.categories[name].auditRefs) {
      const audit = lhr.audits[ref.id];
      if (ref.weight && audit.score !== null && audit.score < 1) {
        const where = ((audit.details && audit.details.items) || [])
          .map((item) => item.node && item.node.snippet)
          .filter(Boolean)
          .slice(0, 3);
        const on = where.length ? ` on ${where.join(" ")}` : "";
        failing.push(`${name}: ${audit.title} (${audit.score.toFixed(2)})${on}`);
      }
    }
  }
  const scores = Object.fromEntries(categories.map((c) => [c, lhr.categories[c].score]));
  console.log(JSON.stringify({ categories: scores, failing }));
} finally {
  await browser.close();
}
