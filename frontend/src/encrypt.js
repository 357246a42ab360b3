// age encryption of the padded plaintexts, shared by the page bundle and scripts/encrypt-sample.mjs.
import { Encrypter } from "age-encryption";
// Not in the package's export map: imported by path so a page without X25519 in Web Crypto
// (or without crypto.subtle at all, e.g. plain HTTP) falls back to the pure-JS curve.
import { forceWebCryptoOff } from "../node_modules/age-encryption/dist/x25519.js";
import { padReport, packAttachment } from "./padding.js";

let checkedWebCrypto = false;

function checkWebCrypto() {
  if (checkedWebCrypto) return;
  checkedWebCrypto = true;
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  if (!subtle || typeof subtle.importKey !== "function") forceWebCryptoOff(true);
}

function assertRecipient(recipient) {
  if (typeof recipient !== "string" || !/^age1[02-9ac-hj-np-z]{58}$/.test(recipient)) {
    throw new Error("not an age X25519 recipient");
  }
}

export async function encryptBytes(plaintext, recipient) {
  assertRecipient(recipient);
  checkWebCrypto();
  const encrypter = new Encrypter();
  encrypter.addRecipient(recipient);
  return await encrypter.encrypt(plaintext);
}

/** The report object, padded (padding.py pad_report) and encrypted: age binary bytes. */
export function encryptReport(report, recipient) {
  return encryptBytes(padReport(report), recipient);
}

/** One attachment in its container (padding.py pack_attachment), encrypted: age binary bytes. */
export function encryptAttachment({ name, type, bytes }, recipient) {
  return encryptBytes(packAttachment({ name, type, bytes }), recipient);
}
