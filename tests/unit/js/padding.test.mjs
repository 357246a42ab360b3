// The browser's padding must match testimony/crypto/padding.py. The expected values below were
// computed by running the Python implementation (padme, bucket, pad_report, pack_attachment).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";

import { bucket, packAttachment, padReport, padme, safeName } from "../../../frontend/src/padding.js";

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

const PYTHON_PADME = [
  [0, 0], [1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [7, 7], [8, 8], [9, 10], [15, 16], [16, 16], [17, 18],
  [100, 104], [255, 256], [256, 256], [257, 272], [1000, 1024], [1023, 1024], [1024, 1024], [1025, 1088],
  [4095, 4096], [4096, 4096], [4097, 4352], [5000, 5120], [9999, 10240], [65535, 65536], [65536, 65536],
  [65537, 67584], [100000, 100352], [1048575, 1048576], [1048576, 1048576], [1048577, 1081344],
  [3000000, 3014656], [26214400, 26214400], [26218496, 26738688], [123456789, 123731968],
  [2147483647, 2147483648], [2147483648, 2147483648], [2147483649, 2214592512], [1099511640121, 1116691496960],
];

test("padme agrees with the Python implementation", () => {
  for (const [length, expected] of PYTHON_PADME) assert.equal(padme(length), expected, `padme(${length})`);
});

test("bucket applies the minimum first", () => {
  const python = [[0, 4096], [10, 4096], [4096, 4096], [4097, 4352], [5000, 5120], [20000, 20480]];
  for (const [length, expected] of python) assert.equal(bucket(length, 4096), expected);
});

test("padme never shrinks, is idempotent and costs at most 12 %", () => {
  for (let length = 2; length < 70000; length += 7) {
    const padded = padme(length);
    assert.ok(padded >= length);
    assert.equal(padme(padded), padded);
    assert.ok(padded - length <= length * 0.12 + 1, `overhead at ${length}`);
  }
});

test("padme rejects what is not a length", () => {
  assert.throws(() => padme(-1), RangeError);
  assert.throws(() => padme(1.5), RangeError);
});

test("a report is the same bytes as Python's pad_report", () => {
  const report = {
    v: 1,
    kind: "raid",
    when: "2025-03-07",
    where: { country: "RU", place: "RU.48", details: 'рынок «Садовод», "ворота" 3\\4' },
    who: ["police", "fsb"],
    account: "Line one\nline two\ttab \u0001 ctrl \u2028 sep \u007f — 😀 é\r\nend\b\f",
    language: "ru",
    keep_location: false,
    consent: true,
  };
  const padded = padReport(report);
  assert.equal(padded.length, 4096);
  assert.equal(sha256(padded), "2c56fc4cc6fb2d4aa6b4d1c41997d5f23adacf07ff51edc0bcea739102e812e6");
  const text = new TextDecoder().decode(padded);
  assert.deepEqual(JSON.parse(text), report);
  assert.match(text, /\}( +)$/);
});

test("a long report goes to the next bucket, padded with spaces", () => {
  const report = {
    v: 1,
    kind: "other",
    when: "2024-11",
    where: { country: "other", place: "", details: "" },
    who: ["unknown"],
    account: "ж".repeat(3000) + "x",
    language: "tg",
    keep_location: true,
    consent: true,
  };
  const padded = padReport(report);
  assert.equal(padded.length, 6400);
  assert.equal(sha256(padded), "1abf70d834347cf434ef9066b56950ddef4c345c4a7245ba090f54dfeff5ccc5");
});

test("an attachment container is the same bytes as Python's pack_attachment", () => {
  const content = new Uint8Array(256 * 300).map((_, i) => i % 256);
  const packed = packAttachment({ name: "фото 1.jpg", type: "image/jpeg", bytes: content });
  assert.equal(packed.length, 77824);
  assert.equal(sha256(packed), "cbf946f22555790b4389b162c72981d585af1d74a60b4e00efa111cca5284691");

  const small = packAttachment({ name: "a.txt", type: "text/plain", bytes: new TextEncoder().encode("hello") });
  assert.equal(small.length, 65536);
  assert.equal(sha256(small), "86ece2a275a3d30a3078d26a5df91e45528a58993d6a1e888fe7510fcba10563");
});

test("the container layout: magic, big-endian header length, header, content, zeros", () => {
  const packed = packAttachment({ name: "n", type: "t", bytes: new Uint8Array([1, 2, 3]) });
  assert.equal(new TextDecoder().decode(packed.subarray(0, 6)), "TSTA1\n");
  const headerLength = new DataView(packed.buffer).getUint32(6, false);
  const header = JSON.parse(new TextDecoder().decode(packed.subarray(10, 10 + headerLength)));
  assert.deepEqual(header, { name: "n", type: "t", size: 3 });
  assert.deepEqual([...packed.subarray(10 + headerLength, 13 + headerLength)], [1, 2, 3]);
  assert.ok(packed.subarray(13 + headerLength).every((b) => b === 0));
});

test("names are kept within what the server accepts", () => {
  assert.equal(safeName(""), "file");
  assert.equal(safeName("a\u0000b\nc.jpg"), "abc.jpg");
  const long = safeName("я".repeat(500) + ".jpeg");
  assert.equal(Array.from(long).length, 200);
  assert.ok(long.endsWith(".jpeg"));
  assert.equal(safeName("😀".repeat(200)), "😀".repeat(200));
});
