// The report the page builds has the shape testimony/intake/report.py validates, with the
// optional citizenship.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { buildReport } from "../../../frontend/src/report.js";

const answers = (overrides = {}) => ({
  kind: "raid",
  year: "2025",
  month: "3",
  day: "",
  country: "RU",
  place: "RU.48",
  details: "  рынок  ",
  who: ["police"],
  citizenship: "",
  account: " Проверяли патенты. ",
  language: "ru",
  keepLocation: false,
  ...overrides,
});

test("an unanswered citizenship is sent as the empty string", () => {
  const report = buildReport(answers());
  assert.equal(report.citizenship, "");
  assert.deepEqual(Object.keys(report).sort(), [
    "account", "citizenship", "consent", "keep_location", "kind", "language", "v", "when", "where", "who",
  ]);
});

test("a chosen citizenship is sent as its code", () => {
  assert.equal(buildReport(answers({ citizenship: "TJ" })).citizenship, "TJ");
  assert.equal(buildReport(answers({ citizenship: undefined })).citizenship, "");
});

test("the other answers keep their shape: month and day padded, text trimmed", () => {
  const report = buildReport(answers({ day: "7", keepLocation: true }));
  assert.equal(report.when, "2025-03-07");
  assert.equal(buildReport(answers()).when, "2025-03");
  assert.deepEqual(report.where, { country: "RU", place: "RU.48", details: "рынок" });
  assert.equal(report.account, "Проверяли патенты.");
  assert.equal(report.keep_location, true);
  assert.equal(report.consent, true);
  assert.equal(report.v, 1);
});

test("the built page script sends the citizenship select's value", () => {
  const built = readFileSync(new URL("../../../static/intake/js/intake.js", import.meta.url), "utf8");
  assert.ok(built.includes("citizenship"), "static/intake/js/intake.js does not read the citizenship select");
});
