// The submitter pages' script (static/intake/js/intake.js, loaded with defer on every page).
//
// Quick exit everywhere. On the report form: places filtered by country, voice notes, the list
// of attachments, proof of work in a worker, and, on send, encryption in the browser
// (enc.bundle.js, loaded after first paint) and upload through /api/v1/ with resume.
// Nothing is stored in the browser: no storage APIs, no cookies, no service worker.
// Without JavaScript (or in a browser too old for the crypto) the form posts as a plain form.

import { buildReport } from "./report.js";

const d = document;
const w = window;
const $ = (id) => d.getElementById(id);
const fmt = (text, key, value) => String(text || "").replace("{" + key + "}", value);

// ---- Quick exit ---------------------------------------------------------------------------

const exitLink = d.querySelector("[data-quick-exit]");
let leaving = false;
let onExit = () => {};

function quickExit(event) {
  if (event) event.preventDefault();
  if (leaving) return;
  leaving = true;
  try {
    onExit();
  } catch (_) {
    // leave anyway
  }
  w.location.replace(exitLink ? exitLink.href : "about:blank");
  // Hide the page at once, also from the back-forward cache, while the next one loads.
  d.body.textContent = "";
  d.title = "";
}

if (exitLink) exitLink.addEventListener("click", quickExit);
let lastEscape = 0;
d.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" && event.key !== "Esc") return;
  const now = Date.now();
  if (now - lastEscape < 1000) quickExit(event);
  lastEscape = now;
});

// ---- The report form -------------------------------------------------------------------------

const form = $("report-form");
if (form) setUpForm(form);

function setUpForm(form) {
  const ds = form.dataset;
  const el = form.elements;
  let S = {};
  try {
    S = JSON.parse($("intake-strings").textContent);
  } catch (_) {
    // keep the keys' fallbacks
  }

  filterPlaces(el.country, el.place);

  const capable = !!(
    w.fetch &&
    w.TextEncoder &&
    w.ReadableStream &&
    w.TransformStream &&
    typeof BigInt === "function" &&
    w.crypto &&
    w.crypto.getRandomValues &&
    w.Blob &&
    Blob.prototype.arrayBuffer &&
    /^age1[0-9a-z]{58}$/.test(ds.recipient || "") &&
    ds.api
  );
  if (!capable) return; // the plain form still works: the server encrypts on arrival

  const api = ds.api;
  const maxFiles = +ds.maxFiles || 0;
  const maxFileBytes = +ds.maxFileBytes || Infinity;
  const progress = $("progress");
  const fileInput = $("id_attachments");
  const fileList = $("file-list");
  const items = []; // {file, claim, keep}

  function setProgress(text, isError) {
    progress.hidden = !text;
    progress.textContent = text || "";
    progress.classList.toggle("error", !!isError);
    if (isError) progress.setAttribute("role", "alert");
    else progress.removeAttribute("role");
  }

  // ---- attachments ----

  let fileError = null;
  function showFileError(text) {
    if (!fileError) {
      fileError = d.createElement("p");
      fileError.className = "error";
      fileError.setAttribute("role", "alert");
      fileList.parentNode.insertBefore(fileError, fileList);
    }
    fileError.textContent = text;
    fileError.hidden = !text;
  }

  const sizeFormats = {};
  const size = (bytes) => {
    const unit = bytes < 1048576 ? "kilobyte" : "megabyte";
    const value = unit === "kilobyte" ? Math.max(1, Math.ceil(bytes / 1024)) : Math.round(bytes / 104857.6) / 10;
    try {
      sizeFormats[unit] = sizeFormats[unit] || new Intl.NumberFormat(ds.language, { style: "unit", unit, maximumFractionDigits: 1 });
      return sizeFormats[unit].format(value);
    } catch (_) {
      return value + (unit === "kilobyte" ? " KB" : " MB"); // browsers without unit formatting
    }
  };

  function renderFiles() {
    fileList.textContent = "";
    items.forEach((item) => {
      const li = d.createElement("li");
      const name = d.createElement("span");
      const remove = d.createElement("button");
      name.textContent = item.file.name + " (" + size(item.file.size) + ")";
      remove.type = "button";
      remove.className = "secondary";
      remove.textContent = S.remove || "×";
      remove.setAttribute("aria-label", (S.remove || "×") + ": " + item.file.name);
      remove.addEventListener("click", () => {
        items.splice(items.indexOf(item), 1);
        showFileError("");
        renderFiles();
        fileInput.focus();
      });
      li.appendChild(name);
      li.appendChild(remove);
      fileList.appendChild(li);
    });
  }

  function addFiles(files) {
    const problems = [];
    for (let i = 0; i < files.length; i++) {
      if (items.length >= maxFiles) {
        problems.push(S.too_many_files);
        break;
      }
      if (files[i].size > maxFileBytes) problems.push(fmt(S.file_too_large, "name", files[i].name));
      else items.push({ file: files[i] });
    }
    showFileError(problems.join(" "));
    renderFiles();
    pump();
  }

  if (fileInput) {
    fileInput.addEventListener("change", () => {
      addFiles(fileInput.files);
      fileInput.value = ""; // the list above holds the files; the input can pick more
    });
  }

  // ---- voice notes ----

  let stopRecording = () => Promise.resolve();
  const recorder = $("recorder");
  const media = navigator.mediaDevices;
  if (recorder && media && media.getUserMedia && w.MediaRecorder) {
    const start = $("record-start");
    const stop = $("record-stop");
    const status = $("record-status");
    let notes = 0;
    let active = null; // {rec, stream, done, timer}

    const release = (stream) => stream.getTracks().forEach((track) => track.stop());

    start.addEventListener("click", async () => {
      if (active) return;
      if (items.length >= maxFiles) return showFileError(S.too_many_files);
      let stream;
      let rec;
      try {
        stream = await media.getUserMedia({ audio: true });
        const type =
          ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4", "audio/webm", "audio/ogg"].filter(
            (t) => MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(t),
          )[0] || "";
        rec = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
      } catch (_) {
        if (stream) release(stream);
        status.textContent = S.mic_denied;
        return;
      }
      const chunks = [];
      const began = Date.now();
      const tick = () => (status.textContent = fmt(S.recording, "seconds", Math.round((Date.now() - began) / 1000)));
      const current = { rec, stream, timer: setInterval(tick, 1000) };
      current.done = new Promise((resolve) => {
        rec.ondataavailable = (event) => event.data && event.data.size && chunks.push(event.data);
        rec.onstop = () => {
          clearInterval(current.timer);
          release(stream);
          active = null;
          const type = (rec.mimeType || chunks[0] && chunks[0].type || "audio/webm").split(";")[0];
          const ext = /ogg/.test(type) ? "ogg" : /mp4|aac/.test(type) ? "m4a" : "webm";
          const name = "voice-note-" + ++notes + "." + ext;
          start.hidden = false;
          stop.hidden = true;
          if (chunks.length) {
            let file;
            try {
              file = new File(chunks, name, { type });
            } catch (_) {
              file = new Blob(chunks, { type });
              file.name = name;
            }
            status.textContent = S.recorded;
            addFiles([file]);
          } else status.textContent = S.mic_denied;
          start.focus();
          resolve();
        };
      });
      try {
        rec.start(1000);
      } catch (_) {
        clearInterval(current.timer);
        release(stream);
        status.textContent = S.mic_denied;
        return;
      }
      active = current;
      tick();
      start.hidden = true;
      stop.hidden = false;
      stop.focus();
    });
    stopRecording = () => {
      if (!active) return Promise.resolve();
      if (active.rec.state !== "inactive") active.rec.stop();
      return active.done;
    };
    stop.addEventListener("click", stopRecording);
    onExit = () => active && release(active.stream);
    recorder.hidden = false;
  }

  // ---- network ----

  // Wait `ms`, or less if the connection comes back.
  function pause(ms) {
    return new Promise((resolve) => {
      const go = () => {
        clearTimeout(timer);
        w.removeEventListener("online", go);
        resolve();
      };
      const timer = setTimeout(go, ms);
      w.addEventListener("online", go);
    });
  }

  // One request; null when the network failed (or the server answered 5xx without JSON).
  async function call(method, url, body, headers, timeout) {
    const abort = w.AbortController ? new AbortController() : null;
    const timer = abort && setTimeout(() => abort.abort(), timeout || 60000);
    try {
      const response = await fetch(url, {
        method,
        body,
        headers: headers || {},
        credentials: "omit",
        cache: "no-store",
        referrerPolicy: "no-referrer",
        signal: abort ? abort.signal : undefined,
      });
      let json = null;
      try {
        json = await response.json();
      } catch (_) {
        if (response.ok) return null; // the answer was cut off
      }
      return { status: response.status, ok: response.ok, json };
    } catch (_) {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  const isTransient = (res) => !res || res.status >= 500;

  // Retry network errors until they pass (showing "offline"), and server errors a few times.
  async function retrying(request) {
    let delay = 1000;
    for (let failures = 1; ; failures++) {
      const res = await request();
      if (!isTransient(res) || (res && failures > 6)) return res;
      setProgress(S.offline);
      await pause(delay);
      delay = Math.min(delay * 2, 30000);
    }
  }

  function apiError(res) {
    const error = new Error("api");
    const body = (res && res.json && res.json.error) || {};
    error.code = body.code;
    error.message = body.message || "";
    error.fromServer = !!body.message;
    return error;
  }

  // ---- proof of work ----

  const STALE_MS = 40 * 60 * 1000; // challenges live an hour on the server
  const unsolved = ds.challenge ? [{ challenge: ds.challenge, difficulty: +ds.difficulty, at: Date.now() }] : [];
  let pool = []; // solved: {challenge, nonce, at}
  const waiting = [];
  let pumping = false;
  let worker = null;
  let workerFailed = false;

  async function solveHere(job) {
    // Fallback without a worker: slower, but the page stays usable.
    const encoder = new TextEncoder();
    const full = job.difficulty >> 3;
    const rest = job.difficulty & 7;
    for (let n = 0; ; n++) {
      const h = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(job.challenge + ":" + n)));
      let ok = true;
      for (let i = 0; i < full && ok; i++) ok = h[i] === 0;
      if (ok && (!rest || h[full] >> (8 - rest) === 0)) return { challenge: job.challenge, nonce: String(n) };
    }
  }

  function solve(job) {
    if (workerFailed || !w.Worker) return solveHere(job);
    return new Promise((resolve, reject) => {
      const fallBack = () => {
        workerFailed = true;
        if (worker) worker.terminate();
        worker = null;
        solveHere(job).then(resolve, reject);
      };
      try {
        worker = worker || new Worker(ds.powSrc);
      } catch (_) {
        return fallBack();
      }
      worker.onmessage = (event) => (event.data && event.data.nonce ? resolve(event.data) : fallBack());
      worker.onerror = (event) => {
        event.preventDefault();
        fallBack();
      };
      worker.postMessage({ challenge: job.challenge, difficulty: job.difficulty });
    });
  }

  // Keep 1 + (number of attachments) solved challenges ready, and serve whoever waits.
  async function pump() {
    if (pumping) return;
    pumping = true;
    let delay = 1000;
    try {
      while (waiting.length || pool.length < 1 + items.length) {
        let job = unsolved.shift();
        if (job && Date.now() - job.at > STALE_MS) job = null;
        if (!job) {
          const res = await call("GET", api + "challenges/");
          if (res && res.ok && res.json && res.json.challenge) {
            job = { challenge: res.json.challenge, difficulty: +res.json.difficulty, at: Date.now() };
          } else if (waiting.length && isTransient(res)) {
            setProgress(S.offline);
            await pause(delay);
            delay = Math.min(delay * 2, 30000);
            continue;
          } else {
            waiting.splice(0).forEach((waiter) => waiter(null));
            break; // in the background: try again when a challenge is needed
          }
        }
        let solved = null;
        try {
          solved = await solve(job);
        } catch (_) {
          // no way to hash in this browser
        }
        if (!solved) {
          waiting.splice(0).forEach((waiter) => waiter(null));
          break;
        }
        delay = 1000;
        const ready = { challenge: solved.challenge, nonce: solved.nonce, at: job.at };
        if (waiting.length) waiting.shift()(ready);
        else pool.push(ready);
      }
    } finally {
      pumping = false;
    }
  }

  function takePow() {
    pool = pool.filter((ready) => Date.now() - ready.at < STALE_MS);
    const ready = pool.shift();
    const got = ready
      ? Promise.resolve(ready)
      : new Promise((resolve) => {
          setProgress(S.preparing);
          waiting.push(resolve);
        });
    pump();
    return got.then((pow) => {
      if (!pow) throw new Error("pow");
      return { challenge: pow.challenge, nonce: pow.nonce };
    });
  }

  async function postPow(path, body) {
    for (let attempt = 0; ; attempt++) {
      const pow = await takePow();
      const res = await retrying(() =>
        call("POST", api + path, JSON.stringify(Object.assign({ pow }, body)), { "Content-Type": "application/json" }),
      );
      if (res && res.ok && res.json) return res.json;
      const code = res && res.json && res.json.error && res.json.error.code;
      if (!(code === "pow_invalid" || code === "pow_reused") || attempt >= 3) throw apiError(res);
    }
  }

  // ---- encryption bundle ----

  let encLoading = null;
  function loadEnc() {
    if (w.TestimonyEnc) return Promise.resolve(w.TestimonyEnc);
    if (!encLoading) {
      encLoading = new Promise((resolve, reject) => {
        const script = d.createElement("script");
        script.src = ds.encSrc;
        script.async = true;
        script.onload = () => (w.TestimonyEnc ? resolve(w.TestimonyEnc) : reject(new Error("enc")));
        script.onerror = () => {
          encLoading = null;
          script.remove();
          reject(new Error("enc"));
        };
        d.head.appendChild(script);
      });
    }
    return encLoading;
  }

  // ---- upload with resume ----

  async function upload(ciphertext, onProgress) {
    const created = await postPow("uploads/", { size: ciphertext.length });
    const url = api + "uploads/" + created.id + "/";
    const token = { "Upload-Token": created.token };
    const step = created.chunk_size || +ds.chunkBytes || 1048576;
    let offset = 0;
    let delay = 1000;
    while (offset < ciphertext.length) {
      onProgress(offset / ciphertext.length);
      const res = await call(
        "PUT",
        url,
        ciphertext.slice(offset, offset + step),
        Object.assign({ "Upload-Offset": String(offset), "Content-Type": "application/octet-stream" }, token),
        180000,
      );
      const code = res && res.json && res.json.error && res.json.error.code;
      if (res && res.ok && res.json && res.json.received > offset) {
        offset = res.json.received;
        delay = 1000;
        continue;
      }
      if (isTransient(res)) {
        setProgress(S.offline);
        await pause(delay);
        delay = Math.min(delay * 2, 30000);
      } else if (code !== "offset_mismatch") throw apiError(res);
      // Ask the server how much arrived, and go on from there.
      const state = await retrying(() => call("GET", url, undefined, token));
      if (!state || !state.ok || !state.json) throw apiError(state);
      offset = state.json.received;
    }
    onProgress(1);
    return { id: created.id, token: created.token };
  }

  function base64(bytes) {
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(text);
  }

  // ---- checking and sending ----

  const first = (name) => form.querySelector('[name="' + name + '"]');
  const checked = (name) => Array.prototype.map.call(form.querySelectorAll('[name="' + name + '"]:checked'), (c) => c.value);

  function clearMarks() {
    form.querySelectorAll("[data-js-error]").forEach((p) => p.remove());
    form.querySelectorAll("[aria-invalid]").forEach((c) => c.removeAttribute("aria-invalid"));
  }

  // Mark the questions that need an answer; return the first control to fix, or null.
  function check() {
    clearMarks();
    const problems = [];
    const need = (ok, name, key) => ok || problems.push([name, key]);
    need(checked("kind").length, "kind", "missing_kind");
    const year = +el.when_year.value;
    const month = +el.when_month.value;
    const day = +el.when_day.value || 0;
    need(year && month, "when_month", "missing_when");
    if (year && month) {
      const date = new Date(Date.UTC(year, month - 1, day || 1));
      const now = new Date();
      // The server checks against its own (UTC) date: a later day would fail there, silently.
      need(date.getUTCMonth() === month - 1, "when_day", "bad_date");
      need(date <= Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()), "when_month", "future_date");
    }
    need(el.country.value, "country", "missing_country");
    need(checked("who").length, "who", "missing_who");
    need(el.account.value.trim(), "account", "missing_account");
    need(el.consent.checked, "consent", "missing_consent");
    const marked = [];
    problems.forEach(([name, key]) => {
      const control = first(name);
      form.querySelectorAll('[name="' + name + '"]').forEach((c) => c.setAttribute("aria-invalid", "true"));
      const box = control.closest("fieldset");
      if (marked.indexOf(box) >= 0) return;
      marked.push(box);
      const note = d.createElement("p");
      note.className = "error";
      note.setAttribute("data-js-error", "");
      note.textContent = S[key] || "⚠";
      if (box) box.insertBefore(note, box.querySelector("legend").nextSibling);
      else control.closest("label").parentNode.insertBefore(note, control.closest("label"));
    });
    return problems.length ? first(problems[0][0]) : null;
  }

  function report() {
    return buildReport({
      kind: checked("kind")[0],
      year: el.when_year.value,
      month: el.when_month.value,
      day: el.when_day.value,
      country: el.country.value,
      place: el.place.value,
      details: el.place_details.value,
      who: checked("who"),
      citizenship: el.citizenship ? el.citizenship.value : "",
      account: el.account.value,
      language: ds.language,
      keepLocation: el.keep_location.checked,
    });
  }

  function showReceipt(receipt) {
    const panel = $("receipt-panel");
    panel.querySelector("[data-receipt]").textContent = receipt;
    // Forget what was typed and chosen.
    form.reset();
    items.length = 0;
    renderFiles();
    if (worker) worker.terminate();
    Array.prototype.forEach.call(panel.parentNode.children, (child) => {
      if (child !== panel && child.tagName !== "SCRIPT") child.hidden = true;
    });
    panel.hidden = false;
    w.scrollTo(0, 0);
    panel.focus();
  }

  let busy = false;
  async function send() {
    const wrong = check();
    if (wrong) {
      setProgress(S.required, true);
      wrong.focus();
      return;
    }
    busy = true;
    // Nothing can change while it goes out; what was typed stays for another try.
    const boxes = form.querySelectorAll("fieldset, #id_consent, #send");
    boxes.forEach((box) => (box.disabled = true));
    setProgress(S.encrypting);
    try {
      await stopRecording();
      const data = report();
      const enc = await loadEnc();
      const keep = !!el.keep_location.checked;
      const claims = [];
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        if (!item.claim || item.keep !== keep) {
          let bytes;
          let type = item.file.type;
          if (keep) bytes = new Uint8Array(await item.file.arrayBuffer());
          else {
            if (/^image\//.test(type)) setProgress(S.removing_metadata);
            const clean = await enc.stripMetadata(item.file);
            bytes = clean.bytes;
            type = clean.type;
          }
          setProgress(S.encrypting);
          const ciphertext = await enc.encryptAttachment({ name: item.file.name, type, bytes }, ds.recipient);
          item.claim = await upload(ciphertext, (part) =>
            setProgress(fmt(S.uploading, "percent", Math.floor((100 * (i + part)) / items.length))),
          );
          item.keep = keep;
        }
        claims.push(item.claim);
      }
      setProgress(S.encrypting);
      const ciphertext = await enc.encryptReport(data, ds.recipient);
      setProgress(S.sending);
      const created = await postPow("submissions/", { ciphertext: base64(ciphertext), attachments: claims });
      showReceipt(created.receipt);
    } catch (error) {
      if (/^upload_/.test(error.code)) items.forEach((item) => (item.claim = null)); // upload them again
      setProgress(error.fromServer ? error.message : S.failed, true);
    } finally {
      busy = false;
      boxes.forEach((box) => (box.disabled = false));
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!busy) send();
  });

  w.addEventListener("load", () => {
    loadEnc().catch(() => {});
    const later = w.requestIdleCallback || ((fn) => setTimeout(fn, 200));
    later(() => pump(), { timeout: 2000 });
  });
}

// Show only the places of the chosen country (none for "another country": the server accepts
// a place only within its country). Detached optgroups are kept to put back.
function filterPlaces(country, place) {
  if (!country || !place || !place.querySelectorAll) return;
  const groups = Array.prototype.slice.call(place.querySelectorAll("optgroup"));
  const update = () => {
    const option = country.options[country.selectedIndex];
    const label = option && option.value ? option.text.trim() : null;
    const value = place.value;
    groups.forEach((group) => group.parentNode === place && place.removeChild(group));
    groups.forEach((group) => (label === null || group.label.trim() === label) && place.appendChild(group));
    place.value = value;
    if (place.selectedIndex < 0) place.selectedIndex = 0;
  };
  country.addEventListener("change", update);
  update();
}
