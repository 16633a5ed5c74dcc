// Times Blacklight's collect() on one URL, in this process, and prints one JSON line per run:
//   node collect.cjs <blacklight module dir> <json options>
// options: {url, runs, numPages, chromium, outDir, stubPort}. Every host name resolves to the
// vendor stub server on 127.0.0.1:<stubPort>; the fixture site is an IP literal, so it is direct.
const path = require('path');

const [moduleDir, optionsJson] = process.argv.slice(2);
const options = JSON.parse(optionsJson);
const { collect } = require(path.join(moduleDir, 'node_modules', '@themarkup', 'blacklight-collector'));

const chromiumArgs = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-features=TrackingProtection3pcd',  // Blacklight's own default argument
  `--host-resolver-rules=MAP * 127.0.0.1:${options.stubPort}, EXCLUDE 127.0.0.1`,
];

(async () => {
  for (let run = 0; run < options.runs; run++) {
    const started = process.hrtime.bigint();
    const result = await collect(options.url, {
      numPages: options.numPages,
      headless: true,
      puppeteerExecutablePath: options.chromium,
      outDir: options.outDir,
      extraChromiumArgs: chromiumArgs,
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const reports = result.reports || {};
    const keys = (value) => (value && typeof value === 'object' ? Object.keys(value).length : 0);
    process.stdout.write(JSON.stringify({
      seconds,
      status: result.status,
      pages: (result.browsing_history || []).length,
      canvas: ((reports.canvas_fingerprinters || {}).fingerprinters || []).length,
      canvasFont: keys((reports.canvas_font_fingerprinters || {}).canvas_font),
      sessionRecorders: keys(reports.session_recorders),
      keyLogging: keys(reports.key_logging),
    }) + '\n');
  }
  // collect() leaves a navigation timer pending; do not wait 10 s for it.
  process.exit(0);
})().catch((error) => {
  process.stderr.write(`blacklight failed: ${error && error.message}\n`);
  process.exit(1);
});
