// Proof of work (frontend/src/pow.js and the built worker) against testimony/intake/pow.py's rule.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import vm from "node:vm";

import { hasLeadingZeroBits, solve } from "../../../frontend/src/pow.js";

const WORKER = new URL("../../../static/intake/js/pow-worker.js", import.meta.url);

function zeroBits(digest) {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

const hash = (challenge, nonce) => createHash("sha256").update(`${challenge}:${nonce}`, "utf8").digest();

test("the first solution is the one Python's pow.solve finds", () => {
  // pow.solve(token, 17) for this token, computed with the Python implementation.
  const token =
    "eyJpIjoiNzhkNzdhODY4Mzk3MGUyZDNlZDFmNDFhNjdiMzc3M2YiLCJkIjoxNywiZSI6MTc5NTI4NTEyM30.6OQ3xPMUER1muyICEht3kiPfC6Ex3nTrdJMJeLqoJMU";
  assert.equal(solve(token, 17), "130953");
});

test("every solution is the first nonce with enough zero bits", () => {
  for (let difficulty = 0; difficulty <= 12; difficulty++) {
    const challenge = `challenge-${difficulty}-é`;
    const nonce = solve(challenge, difficulty);
    assert.match(nonce, /^\d{1,20}$/);
    assert.ok(zeroBits(hash(challenge, nonce)) >= difficulty);
    for (let earlier = 0; earlier < Number(nonce); earlier++) {
      assert.ok(zeroBits(hash(challenge, earlier)) < difficulty, `${earlier} was already a solution`);
    }
  }
});

test("the zero-bit check matches a plain count", () => {
  const samples = [[0, 0, 0, 0], [0, 1, 0, 0], [0, 0x80, 0, 0], [0x0f, 0, 0, 0], [0, 0, 0x20, 0]];
  for (const sample of samples) {
    const digest = new Uint8Array(32);
    digest.set(sample);
    for (let difficulty = 0; difficulty <= 32; difficulty++) {
      assert.equal(hasLeadingZeroBits(digest, difficulty), zeroBits(digest) >= difficulty, `${sample} at ${difficulty}`);
    }
  }
});

test("the built worker answers {challenge, nonce}", () => {
  const posted = [];
  const self = { postMessage: (message) => posted.push(message) };
  const context = vm.createContext({ self, TextEncoder, Uint8Array, Uint32Array, DataView, Math, Number, String, Error });
  vm.runInContext(readFileSync(WORKER, "utf8"), context);
  assert.equal(typeof self.onmessage, "function");
  self.onmessage({ data: { challenge: "abc.def", difficulty: 10 } });
  assert.equal(posted.length, 1);
  assert.equal(posted[0].challenge, "abc.def");
  assert.ok(zeroBits(hash("abc.def", posted[0].nonce)) >= 10);
});
