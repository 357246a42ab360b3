// Encryption as the page does it (frontend/src/encrypt.js and the built enc.bundle.js),
// opened again with age-encryption's decrypter and checked against the padding formats.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { Decrypter, generateIdentity, identityToRecipient } from "../../../frontend/node_modules/age-encryption/dist/index.js";
import { encryptAttachment, encryptReport } from "../../../frontend/src/encrypt.js";
import { packAttachment, padReport } from "../../../frontend/src/padding.js";

const BUNDLE = new URL("../../../static/intake/js/enc.bundle.js", import.meta.url);
const SAMPLE_SCRIPT = fileURLToPath(new URL("../../../frontend/scripts/encrypt-sample.mjs", import.meta.url));
const REPORT = {
  v: 1,
  kind: "detention",
  when: "2025-01",
  where: { country: "RU", place: "", details: "" },
  who: ["police"],
  account: "Они забрали паспорт.",
  language: "ru",
  keep_location: false,
  consent: true,
};

async function keys() {
  const identity = await generateIdentity();
  return { identity, recipient: await identityToRecipient(identity) };
}

async function open(ciphertext, identity) {
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  return decrypter.decrypt(ciphertext);
}

const startsWithAge = (bytes) => new TextDecoder().decode(bytes.subarray(0, 22)) === "age-encryption.org/v1\n";

test("a report is encrypted to one X25519 recipient and opens to the padded JSON", async () => {
  const { identity, recipient } = await keys();
  const ciphertext = await encryptReport(REPORT, recipient);
  assert.ok(startsWithAge(ciphertext));
  assert.match(new TextDecoder().decode(ciphertext.subarray(0, 200)), /\n-> X25519 [A-Za-z0-9+/]{43}\n/);
  assert.deepEqual(await open(ciphertext, identity), padReport(REPORT));
});

test("an attachment opens to its container", async () => {
  const { identity, recipient } = await keys();
  const bytes = new Uint8Array(200_000).map((_, i) => (i * 7) % 251);
  const ciphertext = await encryptAttachment({ name: "photo.jpg", type: "image/jpeg", bytes }, recipient);
  assert.deepEqual(await open(ciphertext, identity), packAttachment({ name: "photo.jpg", type: "image/jpeg", bytes }));
});

test("anything but an age X25519 recipient is refused before encrypting", async () => {
  for (const bad of ["", "age1", "AGE-SECRET-KEY-1XYZ", "age1pq1" + "q".repeat(100), null]) {
    await assert.rejects(encryptReport(REPORT, bad), /X25519/);
  }
});

test("the built enc.bundle.js exposes window.TestimonyEnc and encrypts", async () => {
  const { identity, recipient } = await keys();
  const window = {};
  new Function("window", readFileSync(BUNDLE, "utf8"))(window);
  const enc = window.TestimonyEnc;
  assert.deepEqual(Object.keys(enc).sort(), ["encryptAttachment", "encryptReport", "padme", "stripMetadata"]);
  assert.equal(enc.padme(5000), 5120);
  const report = await enc.encryptReport(REPORT, recipient);
  assert.deepEqual(await open(report, identity), padReport(REPORT));
  const photo = await enc.stripMetadata(new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xfe, 0, 4, 0x47, 0x50])], { type: "image/jpeg" }));
  assert.equal(photo.stripped, false); // no image data: kept as it was
  const attachment = await enc.encryptAttachment({ name: "n.bin", type: "", bytes: new Uint8Array([1, 2, 3]) }, recipient);
  assert.deepEqual(await open(attachment, identity), packAttachment({ name: "n.bin", type: "", bytes: new Uint8Array([1, 2, 3]) }));
});

test("scripts/encrypt-sample.mjs writes what the page would send", async () => {
  const { identity, recipient } = await keys();
  const dir = mkdtempSync(join(tmpdir(), "enc-sample-"));
  const input = join(dir, "note.txt");
  writeFileSync(input, "evidence\n");
  execFileSync(process.execPath, [SAMPLE_SCRIPT, recipient, input, join(dir, "note.age"), "--type", "text/plain"]);
  const plaintext = await open(new Uint8Array(readFileSync(join(dir, "note.age"))), identity);
  assert.deepEqual(plaintext, packAttachment({ name: "note.txt", type: "text/plain", bytes: new TextEncoder().encode("evidence\n") }));
});
