// Remove hidden metadata (place, time, device) from photos without re-encoding them.
//
// JPEG: drop APP1 (Exif, XMP), APP13 (IPTC/Photoshop), every other APPn except APP0 (JFIF),
//   APP2 ICC_PROFILE and a bare APP14 "Adobe" colour-transform marker, and COM segments; the
//   image data is kept unchanged; anything after EOI (appended previews, motion-photo video,
//   vendor trailers that carry their own Exif) is dropped. The Exif orientation, if any, is
//   kept in a minimal Exif segment so the photo is not shown sideways.
// PNG: drop tEXt, zTXt, iTXt, eXIf, tIME chunks (and anything after IEND).
// WebP: drop EXIF and XMP chunks, clear their flags in VP8X, fix the RIFF size.
// Anything else (HEIC, video, documents) is returned unchanged with stripped: false; the
// server-side worker cleans those. A file that does not parse is returned unchanged, never lost.

class Malformed extends Error {}

function fail(why) {
  throw new Malformed(why);
}

function ascii(bytes, start, text) {
  if (start < 0 || start + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) {
    if (bytes[start + i] !== text.charCodeAt(i)) return false;
  }
  return true;
}

function concat(bytes, ranges) {
  let total = 0;
  for (const r of ranges) total += r instanceof Uint8Array ? r.length : r[1] - r[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const r of ranges) {
    if (r instanceof Uint8Array) {
      out.set(r, at);
      at += r.length;
    } else {
      out.set(bytes.subarray(r[0], r[1]), at);
      at += r[1] - r[0];
    }
  }
  return out;
}

/** "jpeg" | "png" | "webp" | "" from the first bytes (the file's own claim of type is not trusted). */
export function sniff(bytes) {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (bytes.length >= 8 && bytes[0] === 0x89 && ascii(bytes, 1, "PNG\r\n\x1a\n")) return "png";
  if (bytes.length >= 12 && ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "WEBP")) return "webp";
  return "";
}

export const MIME = { jpeg: "image/jpeg", png: "image/png", webp: "image/webp" };

// ---- JPEG -------------------------------------------------------------------------------

// The Exif orientation (1..8) in an APP1 payload, or 0. Never throws.
function exifOrientation(bytes, start, end) {
  try {
    if (!ascii(bytes, start, "Exif\0\0")) return 0;
    const tiff = start + 6;
    if (tiff + 8 > end) return 0;
    const little = ascii(bytes, tiff, "II");
    if (!little && !ascii(bytes, tiff, "MM")) return 0;
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const u16 = (at) => view.getUint16(at, little);
    const u32 = (at) => view.getUint32(at, little);
    const ifd = tiff + u32(tiff + 4);
    if (ifd < tiff + 8 || ifd + 2 > end) return 0;
    const count = u16(ifd);
    for (let i = 0; i < count; i++) {
      const entry = ifd + 2 + i * 12;
      if (entry + 12 > end) return 0;
      if (u16(entry) === 0x0112 && u16(entry + 2) === 3) {
        const value = u16(entry + 8);
        return value >= 1 && value <= 8 ? value : 0;
      }
    }
  } catch (_) {
    // out of range: no orientation
  }
  return 0;
}

// An APP1 segment with only the orientation tag (big-endian TIFF, one IFD entry).
function orientationSegment(value) {
  return new Uint8Array([
    0xff, 0xe1, 0x00, 0x22, // APP1, length 34
    0x45, 0x78, 0x69, 0x66, 0x00, 0x00, // "Exif\0\0"
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // "MM", 42, IFD at 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, value, 0x00, 0x00, // Orientation SHORT 1
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ]);
}

function keepJpegSegment(bytes, marker, start, end) {
  if (marker === 0xe0) return true; // APP0: JFIF / JFXX
  if (marker === 0xe2) return ascii(bytes, start, "ICC_PROFILE\0");
  if (marker === 0xee) return end - start === 12 && ascii(bytes, start, "Adobe"); // colour transform only
  if (marker >= 0xe1 && marker <= 0xef) return false; // other APPn: Exif, XMP, IPTC, MPF, vendors
  if (marker === 0xfe) return false; // COM
  return true; // tables, frame and scan headers, DRI, DNL...
}

function stripJpeg(bytes) {
  const n = bytes.length;
  const parts = [[0, 2]]; // SOI
  let orientation = 0;
  let pos = 2;
  let sawScan = false;
  let ended = false;
  while (pos < n) {
    if (bytes[pos] !== 0xff) fail("expected a marker");
    while (pos < n && bytes[pos] === 0xff) pos++; // fill bytes
    if (pos >= n) fail("truncated marker");
    const marker = bytes[pos++];
    if (marker === 0xd9) {
      parts.push(new Uint8Array([0xff, 0xd9]));
      ended = true;
      break; // EOI: drop whatever follows
    }
    if (marker === 0x00 || marker === 0xd8) fail("unexpected marker");
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      parts.push(new Uint8Array([0xff, marker]));
      continue;
    }
    if (pos + 2 > n) fail("truncated length");
    const length = (bytes[pos] << 8) | bytes[pos + 1];
    if (length < 2 || pos + length > n) fail("bad segment length");
    const start = pos + 2;
    const end = pos + length;
    if (marker === 0xe1 && !orientation) orientation = exifOrientation(bytes, start, end);
    if (keepJpegSegment(bytes, marker, start, end)) parts.push(new Uint8Array([0xff, marker]), [pos, end]);
    pos = end;
    if (marker === 0xda) {
      // Entropy-coded data: runs until a marker other than a stuffed 0xFF00 or RSTn.
      sawScan = true;
      let i = pos;
      for (;;) {
        i = bytes.indexOf(0xff, i);
        if (i < 0 || i + 1 >= n) {
          i = n;
          break;
        }
        const next = bytes[i + 1];
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) i += 2;
        else if (next === 0xff) i += 1;
        else break;
      }
      parts.push([pos, i]);
      pos = i;
    }
  }
  if (!sawScan) fail("no image data");
  if (!ended) parts.push(new Uint8Array([0xff, 0xd9])); // a truncated file still ends properly
  if (orientation > 1) {
    // JFIF wants APP0 right after SOI: the orientation segment goes after it when there is one.
    const afterApp0 = parts[1] instanceof Uint8Array && parts[1][1] === 0xe0 ? 3 : 1;
    parts.splice(afterApp0, 0, orientationSegment(orientation));
  }
  return concat(bytes, parts);
}

// ---- PNG --------------------------------------------------------------------------------

const PNG_DROP = new Set(["tEXt", "zTXt", "iTXt", "eXIf", "exIf", "tIME"]);

function stripPng(bytes) {
  const n = bytes.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts = [[0, 8]];
  let pos = 8;
  let first = true;
  for (;;) {
    if (pos + 12 > n) fail("truncated chunk");
    const length = view.getUint32(pos, false);
    const end = pos + 12 + length;
    if (length > 0x7fffffff || end > n) fail("bad chunk length");
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    if (!/^[A-Za-z]{4}$/.test(type)) fail("bad chunk type");
    if (first && type !== "IHDR") fail("IHDR is not first");
    first = false;
    if (!PNG_DROP.has(type)) parts.push([pos, end]);
    pos = end;
    if (type === "IEND") break; // drop trailing data
  }
  return concat(bytes, parts);
}

// ---- WebP -------------------------------------------------------------------------------

const WEBP_DROP = new Set(["EXIF", "XMP "]);

function stripWebp(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const riffEnd = 8 + view.getUint32(4, true);
  if (riffEnd > bytes.length || riffEnd < 12) fail("bad RIFF size");
  const chunks = [];
  let pos = 12;
  let vp8x = -1;
  while (pos < riffEnd) {
    if (pos + 8 > riffEnd) fail("truncated chunk");
    const type = String.fromCharCode(bytes[pos], bytes[pos + 1], bytes[pos + 2], bytes[pos + 3]);
    const size = view.getUint32(pos + 4, true);
    const end = pos + 8 + size + (size & 1);
    if (end > riffEnd) {
      // Some writers omit the pad byte of the very last chunk.
      if (pos + 8 + size !== riffEnd) fail("bad chunk size");
    }
    const stop = Math.min(end, riffEnd);
    if (type === "VP8X") {
      if (size < 10) fail("short VP8X");
      vp8x = chunks.length;
    }
    if (!WEBP_DROP.has(type)) chunks.push([pos, stop]);
    pos = stop;
  }
  if (!chunks.length) fail("no chunks");
  const body = concat(bytes, [[0, 12], ...chunks]);
  new DataView(body.buffer).setUint32(4, body.length - 8, true);
  if (vp8x >= 0) {
    let at = 12;
    for (let i = 0; i < vp8x; i++) at += chunks[i][1] - chunks[i][0];
    body[at + 8] &= ~0x0c; // EXIF (0x08) and XMP (0x04) flags
  }
  return body;
}

const STRIPPERS = { jpeg: stripJpeg, png: stripPng, webp: stripWebp };

/**
 * Remove metadata from image bytes.
 * @param {Uint8Array} bytes
 * @returns {{bytes: Uint8Array, format: string, stripped: boolean}}
 */
export function stripBytes(bytes) {
  const format = sniff(bytes);
  const strip = STRIPPERS[format];
  if (!strip) return { bytes, format, stripped: false };
  try {
    return { bytes: strip(bytes), format, stripped: true };
  } catch (_) {
    // Malformed (or a bug): keep the picture as it is; the server-side worker cleans it.
    return { bytes, format, stripped: false };
  }
}

/**
 * The page's entry point: a File/Blob (or bytes) in, cleaned bytes out.
 * @returns {Promise<{bytes: Uint8Array, type: string, stripped: boolean}>}
 */
export async function stripMetadata(file) {
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(await file.arrayBuffer());
  const result = stripBytes(bytes);
  const type = (file && file.type) || MIME[result.format] || "";
  return { bytes: result.bytes, type, stripped: result.stripped };
}
