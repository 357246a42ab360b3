#!/usr/bin/env node
// Encrypt a file exactly as the intake page does for an attachment: the TSTA1 container with
// Padmé padding (src/padding.js), then age to an X25519 recipient (src/encrypt.js).
//
//   node frontend/scripts/encrypt-sample.mjs <age1... recipient> <infile> <outfile> [--strip] [--type MIME] [--name NAME]
//
// --strip first removes photo metadata as the page does when "keep location" is not ticked.
// Used by the Python tests to check that pyrage and the age CLI open what browsers send.
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";

import { encryptAttachment } from "../src/encrypt.js";
import { MIME, stripBytes } from "../src/strip.js";

const args = process.argv.slice(2);
const option = (flag) => {
  const at = args.indexOf(flag);
  if (at < 0) return undefined;
  const [, value] = args.splice(at, 2);
  return value;
};
const strip = args.includes("--strip");
if (strip) args.splice(args.indexOf("--strip"), 1);
const type = option("--type");
const name = option("--name");
if (args.length !== 3) {
  console.error("usage: encrypt-sample.mjs <recipient> <infile> <outfile> [--strip] [--type MIME] [--name NAME]");
  process.exit(2);
}
const [recipient, infile, outfile] = args;
let bytes = new Uint8Array(readFileSync(infile));
let format = "";
if (strip) ({ bytes, format } = stripBytes(bytes));
const ciphertext = await encryptAttachment(
  { name: name ?? basename(infile), type: type ?? (MIME[format] || "application/octet-stream"), bytes },
  recipient.trim(),
);
writeFileSync(outfile, ciphertext);
