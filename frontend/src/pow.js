// Proof of work (testimony/intake/pow.py): find a decimal nonce such that
// SHA-256(UTF-8 of `challenge:nonce`) starts with `difficulty` zero bits.
import { sha256 } from "@noble/hashes/sha2.js";

export function hasLeadingZeroBits(digest, difficulty) {
  const full = difficulty >> 3;
  for (let i = 0; i < full; i++) if (digest[i] !== 0) return false;
  const rest = difficulty & 7;
  return rest === 0 || digest[full] >> (8 - rest) === 0;
}

/** Solve synchronously; the prefix is hashed once and its state cloned for each nonce. */
export function solve(challenge, difficulty, start = 0) {
  const prefix = new TextEncoder().encode(challenge + ":");
  const base = sha256.create().update(prefix);
  const canClone = typeof base._cloneInto === "function";
  const digits = new Uint8Array(20);
  const out = new Uint8Array(32);
  let hash = canClone ? base._cloneInto() : null;
  for (let nonce = start; nonce < Number.MAX_SAFE_INTEGER; nonce++) {
    // The nonce's ASCII digits, written backwards into `digits` without making a string.
    let n = nonce;
    let at = digits.length;
    do {
      digits[--at] = 48 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
    hash = canClone ? base._cloneInto(hash) : base.clone();
    hash.update(digits.subarray(at));
    hash.digestInto(out);
    if (hasLeadingZeroBits(out, difficulty)) return String(nonce);
  }
  throw new Error("no nonce found");
}
