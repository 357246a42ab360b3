// Size buckets and plaintext formats. Must agree byte for byte with
// testimony/crypto/padding.py (pad_report, pack_attachment, padme).

export const REPORT_MIN_BYTES = 4096;
export const ATTACHMENT_MIN_BYTES = 64 * 1024;
export const ATTACHMENT_MAGIC = new Uint8Array([0x54, 0x53, 0x54, 0x41, 0x31, 0x0a]); // "TSTA1\n"
export const NAME_MAX_CHARS = 200; // testimony.intake.report.attachment_name_ok

// Python's int.bit_length, exact for every safe integer (no floating-point log2).
function bitLength(n) {
  let bits = 0;
  while (n >= 1) {
    n = Math.floor(n / 2);
    bits += 1;
  }
  return bits;
}

/** Padmé (Nikitin et al., PETS 2019): the bucket size for a length. */
export function padme(length) {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError("length must be a non-negative integer");
  if (length < 2) return length;
  const exponent = bitLength(length) - 1;
  const sizeBits = bitLength(exponent);
  const step = 2 ** (exponent - sizeBits);
  return Math.ceil(length / step) * step;
}

export function bucket(length, minimum) {
  return padme(Math.max(length, minimum));
}

const encoder = new TextEncoder();

/** UTF-8 JSON of the report followed by ASCII spaces up to its bucket (json.dumps(..., separators=(",", ":"), ensure_ascii=False)). */
export function padReport(report) {
  const body = encoder.encode(JSON.stringify(report));
  const out = new Uint8Array(bucket(body.length, REPORT_MIN_BYTES));
  out.set(body);
  out.fill(0x20, body.length);
  return out;
}

/** At most NAME_MAX_CHARS code points, keeping the extension when the name is cut. */
export function safeName(name) {
  const chars = Array.from(String(name || "").replace(/[\u0000-\u001f\u007f]/g, ""));
  if (chars.length === 0) return "file";
  if (chars.length <= NAME_MAX_CHARS) return chars.join("");
  const dot = chars.lastIndexOf(".");
  const ext = dot > 0 && chars.length - dot <= 10 ? chars.slice(dot) : [];
  return chars.slice(0, NAME_MAX_CHARS - ext.length).join("") + ext.join("");
}

/** The attachment container: magic, 4-byte big-endian header length, header JSON {name,type,size}, content, zeros. */
export function packAttachment({ name, type, bytes }) {
  const content = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const header = encoder.encode(
    JSON.stringify({ name: safeName(name), type: String(type || "").slice(0, 100), size: content.length }),
  );
  const bodyLength = ATTACHMENT_MAGIC.length + 4 + header.length + content.length;
  const out = new Uint8Array(bucket(bodyLength, ATTACHMENT_MIN_BYTES)); // zero-filled
  let offset = 0;
  out.set(ATTACHMENT_MAGIC, offset);
  offset += ATTACHMENT_MAGIC.length;
  new DataView(out.buffer).setUint32(offset, header.length, false);
  offset += 4;
  out.set(header, offset);
  offset += header.length;
  out.set(content, offset);
  return out;
}
