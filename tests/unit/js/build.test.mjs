// The committed scripts under static/intake/js/ are what frontend/ builds, and within budget.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

import { buildAll, gzippedSizes, OUTDIR, OUTPUTS } from "../../../frontend/scripts/build.mjs";

test("the committed build is up to date with frontend/src (run: cd frontend && npm run build)", async () => {
  const fresh = mkdtempSync(join(tmpdir(), "intake-build-"));
  await buildAll(fresh);
  for (const name of OUTPUTS) {
    assert.ok(readFileSync(join(fresh, name)).equals(readFileSync(join(OUTDIR, name))), `${name} is stale`);
  }
});

test("the scripts stay small: intake.js <= 6 KB and all three < 40 KB gzipped", () => {
  const sizes = gzippedSizes();
  assert.ok(sizes["intake.js"].gzipped <= 6 * 1024, `intake.js is ${sizes["intake.js"].gzipped} B gzipped`);
  const total = Object.values(sizes).reduce((sum, size) => sum + size.gzipped, 0);
  assert.ok(total < 40 * 1024, `the scripts are ${total} B gzipped`);
});

test("the page's script uses no storage, cookies or service worker", () => {
  for (const name of OUTPUTS) {
    const code = readFileSync(join(OUTDIR, name), "utf8");
    for (const forbidden of ["localStorage", "sessionStorage", "indexedDB", "document.cookie", "serviceWorker", "caches."]) {
      assert.ok(!code.includes(forbidden), `${name} mentions ${forbidden}`);
    }
  }
});
