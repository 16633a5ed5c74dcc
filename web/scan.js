// Report page: sends a list of sites to POST /scans, polls GET /scans/{batchId} and shows the
// progress and a table (a row per site, a column per tracker vendor). Every value shown comes from
// scanned pages, so text goes in through textContent only, never as HTML.
(function () {
  "use strict";

  const { api, show } = window.QrApp;
  const MAX_ITEMS = 1000;
  const PAGE_SIZE = 50;
  const FIRST_POLL_MS = 1000;
  const MAX_POLL_MS = 10000;

  const $ = (id) => document.getElementById(id);
  const form = $("scan-form");
  const itemsBox = $("items");
  const fileInput = $("list-file");
  const keyInput = $("api-key");
  const submit = $("submit");
  const statusBox = $("status");
  const table = $("results");

  // Read by the browser tests; also handy in the console.
  const state = (window.scanState = {
    phase: "idle", // idle | submitting | polling | completed | failed
    batchId: null,
    polls: 0,
    error: null,
  });
  let cursors = [null]; // cursors[i] opens result page i
  let pageIndex = 0;
  let pollTimer = null;
  let pollDelay = FIRST_POLL_MS;
  const downloads = {}; // format -> {url, expires}

  // -- the list -------------------------------------------------------------------------------
  function parseList(text) {
    const items = [];
    for (const raw of String(text).split(/\r?\n/)) {
      let line = raw.trim();
      if (!line || line.startsWith("#")) continue;
      // CSV: the first column, unquoted.
      line = line.split(/[,;\t]/)[0].trim().replace(/^"(.*)"$/, "$1").trim();
      if (!line) continue;
      if (items.length === 0 && /^(domains?|urls?|sites?|websites?)$/i.test(line)) continue;
      items.push(line);
    }
    return items;
  }

  function requestBody(items) {
    if (items.length === 0) throw new Error("Enter at least one domain or URL, or upload a list.");
    if (items.length > MAX_ITEMS) {
      throw new Error(`At most ${MAX_ITEMS} sites per batch; this list has ${items.length}. Split it.`);
    }
    const urls = items.filter((item) => /^https?:\/\//i.test(item));
    if (urls.length && urls.length !== items.length) {
      throw new Error("Use either domains (clinic.example) or full URLs (https://…) in one list, not both.");
    }
    const body = urls.length ? { urls: items } : { domains: items };
    body.pages = Number($("pages").value);
    if ($("fresh").checked) body.fresh = true;
    return body;
  }

  fileInput.addEventListener("change", async () => {
    const file = fileInput.files && fileInput.files[0];
    if (!file) return;
    if (file.size > 1024 * 1024) {
      show(statusBox, "That file is larger than 1 MB; a list of 1,000 sites is far smaller.", "error");
      return;
    }
    itemsBox.value = parseList(await file.text()).join("\n");
    show(statusBox, `Read ${parseList(itemsBox.value).length} sites from ${file.name}.`, "info");
  });

  // -- errors ---------------------------------------------------------------------------------
  function explain(err, during) {
    const message = String((err && err.message) || "");
    const requestId = err && err.body && err.body.requestId;
    const ref = requestId ? ` (request id ${requestId})` : "";
    if (!(err instanceof window.QrApp.ApiError)) return message;
    if (err.status === 0) return "The scanner API can't be reached. Check your connection and try again.";
    if (err.status === 400) return `The scanner refused the list: ${message}${ref}`;
    if (err.status === 401) return "The API key is missing or wrong. Check it and try again.";
    if (err.status === 403) return `This API key may not do that: ${message}${ref}`;
    if (err.status === 404) return "This batch is unknown: it may have expired. Start a new scan.";
    if (err.status === 413) return "The list is too large to send. Split it into smaller batches.";
    if (err.status === 429) {
      const wait = err.retryAfter ? ` Try again in ${err.retryAfter} s.` : " Try again in a minute.";
      return `Too many requests: the scanner's rate limit was reached.${during ? " Retrying." : wait}`;
    }
    return `The scanner API failed (HTTP ${err.status}): ${message}${ref}`;
  }

  function fail(text) {
    state.phase = "failed";
    state.error = text;
    show(statusBox, text, "error");
    submit.disabled = false;
  }

  // -- submitting -----------------------------------------------------------------------------
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let body;
    try {
      body = requestBody(parseList(itemsBox.value));
    } catch (err) {
      fail(err.message);
      itemsBox.focus();
      return;
    }
    const key = keyInput.value.trim();
    if (!key) {
      fail("Enter the API key: the scanner only takes lists from its users.");
      keyInput.focus();
      return;
    }
    stopPolling();
    state.phase = "submitting";
    state.error = null;
    submit.disabled = true;
    show(statusBox, `Sending ${body.urls ? body.urls.length : body.domains.length} sites…`, "waiting");
    let accepted;
    try {
      accepted = await api("POST", "/scans", body, { "x-api-key": key });
    } catch (err) {
      fail(explain(err, false));
      return;
    }
    submit.disabled = false;
    showRejected(accepted.rejected || []);
    if (!accepted.total) {
      fail("None of the sites could be queued; see the list of refused sites.");
      return;
    }
    follow(accepted.batchId);
    renderCounts({ queued: accepted.total, running: 0, done: 0, failed: 0 }, accepted.total);
    show(statusBox, `Queued ${accepted.total} sites (batch ${accepted.batchId}).`, "waiting");
  });

  // Starts polling a batch; its id goes into the address, so a reload finds the batch again.
  function follow(batchId) {
    stopPolling();
    state.batchId = batchId;
    state.polls = 0;
    state.error = null;
    cursors = [null];
    pageIndex = 0;
    for (const format of Object.keys(downloads)) delete downloads[format];
    $("downloads").hidden = true;
    $("results-box").hidden = true;
    $("progress-box").hidden = false;
    $("batch-id").value = batchId;
    history.replaceState(null, "", `?batch=${encodeURIComponent(batchId)}`);
    state.phase = "polling";
    pollDelay = FIRST_POLL_MS;
    poll();
  }

  $("open-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const batchId = $("batch-id").value.trim();
    if (!batchId) {
      fail("Enter the id of the batch to show.");
      $("batch-id").focus();
      return;
    }
    if (!keyInput.value.trim()) {
      fail("Enter the API key: batches are shown only to the scanner's users.");
      keyInput.focus();
      return;
    }
    $("rejected").hidden = true;
    show(statusBox, `Loading batch ${batchId}…`, "waiting");
    follow(batchId);
  });

  const linked = new URLSearchParams(location.search).get("batch");
  if (linked) {
    $("batch-id").value = linked;
    show(statusBox, `Enter the API key, then press "Show batch" to see batch ${linked}.`, "info");
  }

  function showRejected(rejected) {
    const list = $("rejected-list");
    list.replaceChildren();
    for (const entry of rejected) {
      const li = document.createElement("li");
      const item = document.createElement("code");
      item.textContent = entry.item;
      li.append(item, `: ${entry.error}`);
      list.append(li);
    }
    $("rejected").hidden = rejected.length === 0;
    $("rejected-title").textContent = `Not queued (${rejected.length})`;
  }

  // -- polling --------------------------------------------------------------------------------
  function stopPolling() {
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = null;
  }

  function schedule(ms) {
    stopPolling();
    pollTimer = setTimeout(poll, ms);
  }

  async function poll() {
    const batchId = state.batchId;
    const cursor = cursors[pageIndex];
    const query = `?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    let batch;
    try {
      batch = await api("GET", `/scans/${encodeURIComponent(batchId)}${query}`, undefined, {
        "x-api-key": keyInput.value.trim(),
      });
    } catch (err) {
      if (batchId !== state.batchId) return;
      // A busy or briefly unreachable API is waited out; a wrong key or lost batch is final.
      if (err.status === 429 || err.status === 0 || err.status >= 500) {
        show(statusBox, explain(err, true), "error");
        schedule(Math.max(pollDelay, (err.retryAfter || 0) * 1000));
        pollDelay = Math.min(pollDelay * 2, MAX_POLL_MS);
        return;
      }
      fail(explain(err, true));
      return;
    }
    if (batchId !== state.batchId) return; // a newer batch was started meanwhile
    state.polls += 1;
    cursors[pageIndex + 1] = batch.nextCursor || null;
    renderCounts(batch.counts || {}, batch.total);
    renderTable(batch.items || []);
    renderPager();
    if (batch.status === "completed") {
      state.phase = "completed";
      const counts = batch.counts || {};
      show(statusBox, `Finished: ${counts.done || 0} scanned, ${counts.failed || 0} failed.`, "ok");
      await prepareDownloads(batchId);
      return;
    }
    show(statusBox, `Scanning… ${finished(batch.counts || {})} of ${batch.total} sites finished.`, "waiting");
    schedule(pollDelay);
    pollDelay = Math.min(Math.round(pollDelay * 1.5), MAX_POLL_MS);
  }

  const finished = (c) => (c.done || 0) + (c.failed || 0);

  function renderCounts(c, total) {
    for (const name of ["queued", "running", "done", "failed"]) {
      document.querySelector(`[data-count="${name}"]`).textContent = String(c[name] || 0);
    }
    const progress = $("progress");
    progress.max = Math.max(total || 0, 1);
    progress.value = finished(c);
    progress.textContent = `${finished(c)} of ${total}`;
  }

  // -- pages of results -----------------------------------------------------------------------
  function renderPager() {
    const from = pageIndex * PAGE_SIZE + 1;
    const shown = table.tBodies[0].rows.length;
    $("page-label").textContent = shown ? `Sites ${from} to ${from + shown - 1}` : "";
    $("previous").disabled = pageIndex === 0;
    $("next").disabled = !cursors[pageIndex + 1];
  }

  function turnPage(step) {
    pageIndex += step;
    stopPolling();
    poll();
  }
  $("previous").addEventListener("click", () => turnPage(-1));
  $("next").addEventListener("click", () => turnPage(1));

  // -- the table ------------------------------------------------------------------------------
  function cell(tag, text, attrs) {
    const element = document.createElement(tag);
    if (text !== undefined) element.textContent = text;
    for (const [name, value] of Object.entries(attrs || {})) element.setAttribute(name, value);
    return element;
  }

  function at(what, where) {
    return where ? `${what} (${where})` : String(what);
  }

  function joined(values) {
    return (values || []).filter((v) => v !== null && v !== undefined && v !== "").join(", ");
  }

  function eventText(event) {
    if (event && typeof event === "object") return at(event.name, event.firstSeenStep || event.step);
    return String(event);
  }

  // A labelled line per part ("Ids: …"), or "none" when the list is empty.
  function facts(parts) {
    const present = parts.filter(([, text]) => text);
    if (!present.length) return cell("span", "none", { class: "none" });
    const list = cell("ul", undefined, { class: "facts" });
    for (const [label, text] of present) {
      const li = cell("li");
      li.append(cell("span", `${label}: `, { class: "label" }), text);
      list.append(li);
    }
    return list;
  }

  function screenshot(item) {
    const url = item.screenshotUrl;
    if (!url || !/^https?:\/\//i.test(url)) return cell("span", "no screenshot", { class: "none" });
    const link = cell("a", undefined, { href: url, target: "_blank", rel: "noopener" });
    link.append(
      cell("img", undefined, {
        src: url,
        alt: `Screenshot of ${item.item} as scanned`,
        width: "160",
        height: "100",
        loading: "lazy",
        decoding: "async",
      }),
    );
    return link;
  }

  function stateText(item) {
    if (item.state === "failed") return at("failed", item.error || "error");
    return item.state || "";
  }

  function renderTable(items) {
    const vendors = [];
    for (const item of items) {
      for (const pixel of (item.summary && item.summary.pixels) || []) {
        if (!vendors.includes(pixel.vendor)) vendors.push(pixel.vendor);
      }
    }
    vendors.sort();
    const head = table.tHead.rows[0];
    head.replaceChildren(
      cell("th", "Site", { scope: "col" }),
      cell("th", "State", { scope: "col" }),
      cell("th", "Screenshot", { scope: "col" }),
      ...vendors.map((vendor) => cell("th", vendor, { scope: "col", "data-vendor": vendor })),
      cell("th", "Fingerprinting", { scope: "col" }),
      cell("th", "Key logging", { scope: "col" }),
      cell("th", "Session recorders", { scope: "col" }),
    );
    const body = table.tBodies[0];
    body.replaceChildren();
    for (const item of items) {
      const summary = item.summary || {};
      const row = cell("tr", undefined, { "data-item": item.item });
      const site = cell("th", undefined, { scope: "row" });
      site.append(cell("span", item.item));
      if (item.url && item.url !== item.item) site.append(cell("span", item.url, { class: "url" }));
      row.append(site, cell("td", stateText(item), { "data-state": item.state || "" }));
      if (item.state === "queued" || item.state === "running") {
        // Not scanned yet: "none" would claim the site has no trackers.
        const waitingCell = cell("td", undefined, { colspan: String(vendors.length + 4) });
        waitingCell.append(cell("span", "not scanned yet", { class: "none" }));
        row.append(waitingCell);
        body.append(row);
        continue;
      }
      const shot = cell("td");
      shot.append(screenshot(item));
      row.append(shot);
      for (const vendor of vendors) {
        const pixel = (summary.pixels || []).find((p) => p.vendor === vendor) || {};
        const leaks = (summary.leaks || []).filter((leak) => leak.vendor === vendor);
        const td = cell("td", undefined, { "data-vendor": vendor });
        td.append(
          facts([
            ["Ids", joined(pixel.ids)],
            ["Events", joined((pixel.events || []).map(eventText))],
            ["Leaks", joined(leaks.map((leak) => at(leak.kind, leak.step)))],
          ]),
        );
        row.append(td);
      }
      const findings = [
        ["fingerprinting", (f) => at(f.kind, f.domain)],
        ["keyLogging", (k) => at(k.domain, joined(k.fields))],
        ["sessionRecorders", (r) => at(r.vendor, r.domain)],
      ];
      for (const [name, describe] of findings) {
        const td = cell("td", undefined, { "data-finding": name });
        const text = joined((summary[name] || []).map(describe));
        td.append(text ? document.createTextNode(text) : cell("span", "none", { class: "none" }));
        row.append(td);
      }
      body.append(row);
    }
    $("results-box").hidden = items.length === 0;
  }

  // -- downloads ------------------------------------------------------------------------------
  async function fetchDownload(batchId, format) {
    const answer = await api("GET", `/scans/${encodeURIComponent(batchId)}/results.${format}`, undefined, {
      "x-api-key": keyInput.value.trim(),
    });
    const expires = Date.now() + Math.max((answer.expiresIn || 60) - 5, 1) * 1000;
    downloads[format] = { url: answer.url, expires };
    $(`download-${format}`).href = answer.url;
    return answer.url;
  }

  async function prepareDownloads(batchId) {
    try {
      await Promise.all([fetchDownload(batchId, "csv"), fetchDownload(batchId, "json")]);
      $("downloads").hidden = false;
    } catch (err) {
      show(statusBox, `The results are ready, but their download links are not: ${explain(err, false)}`, "error");
    }
  }

  // A presigned link lives minutes; an expired one is replaced before following it.
  for (const format of ["csv", "json"]) {
    $(`download-${format}`).addEventListener("click", async (event) => {
      const known = downloads[format];
      if (known && known.expires > Date.now()) return;
      event.preventDefault();
      try {
        location.assign(await fetchDownload(state.batchId, format));
      } catch (err) {
        show(statusBox, explain(err, false), "error");
      }
    });
  }
})();
