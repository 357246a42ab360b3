// Metadata removal from photos (frontend/src/strip.js), on files built byte by byte here.
import assert from "node:assert/strict";
import { test } from "node:test";

import { sniff, stripBytes, stripMetadata } from "../../../frontend/src/strip.js";

const enc = new TextEncoder();
const bytes = (...parts) => {
  const arrays = parts.map((p) => (typeof p === "string" ? enc.encode(p) : p instanceof Uint8Array ? p : new Uint8Array(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
};
const contains = (haystack, needle) => Buffer.from(haystack).includes(Buffer.from(needle));
const be16 = (n) => [n >> 8, n & 0xff];
const be32 = (n) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const le32 = (n) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

// ---- JPEG ----

const segment = (marker, payload) => bytes([0xff, marker, ...be16(payload.length + 2)], payload);

// A big-endian Exif block: IFD0 with Orientation and a GPS IFD pointer, GPS IFD with latitude ref.
function exif({ orientation = 6, little = false } = {}) {
  const u16 = (n) => (little ? [n & 0xff, n >> 8] : be16(n));
  const u32 = (n) => (little ? le32(n) : be32(n));
  const tiff = bytes(
    little ? "II" : "MM", u16(42), u32(8),
    u16(2),
    u16(0x0112), u16(3), u32(1), u16(orientation), u16(0),
    u16(0x8825), u16(4), u32(1), u32(38),
    u32(0),
    // GPS IFD at 38
    u16(1), u16(0x0001), u16(2), u32(2), "N\0", u16(0), u32(0),
    "GPSLatitude 55.7558 GPSLongitude 37.6173",
  );
  return bytes("Exif\0\0", tiff);
}

const app0 = segment(0xe0, bytes("JFIF\0", [1, 1, 0, 0, 1, 0, 1, 0, 0]));
const icc = segment(0xe2, bytes("ICC_PROFILE\0", [1, 1], "fake-profile"));
const mpf = segment(0xe2, bytes("MPF\0", "II*\0 multi-picture index"));
const xmp = segment(0xe1, bytes("http://ns.adobe.com/xap/1.0/\0", "<x:xmpmeta><exif:GPSLatitude>55</exif:GPSLatitude>"));
const iptc = segment(0xed, bytes("Photoshop 3.0\0", "8BIM iptc City=Moscow"));
const adobe = segment(0xee, bytes("Adobe", [0, 100, 0, 0, 0, 0, 1]));
const app15 = segment(0xef, bytes("vendor maker notes"));
const comment = segment(0xfe, bytes("taken at home, GPS on"));
const dqt = segment(0xdb, bytes([0], new Uint8Array(64).fill(1)));
const sof = segment(0xc0, bytes([8, 0, 16, 0, 16, 1, 1, 0x11, 0]));
const dht = segment(0xc4, bytes([0], new Uint8Array(16).fill(0), []));
const sos = segment(0xda, bytes([1, 1, 0, 0, 63, 0]));
// Entropy-coded data with a stuffed 0xFF00, restart markers and a fill byte.
const scan = bytes([0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78, 0xff, 0xd7, 0x9a, 0xbc, 0xff, 0x00]);
const eoi = bytes([0xff, 0xd9]);
const soi = bytes([0xff, 0xd8]);

function orientationSegment(value) {
  return segment(0xe1, bytes("Exif\0\0", "MM", [0, 42], be32(8), [0, 1], [1, 0x12, 0, 3], be32(1), [0, value, 0, 0], be32(0)));
}

test("JPEG: Exif with GPS, XMP, IPTC, COM and vendor segments go; the picture stays byte for byte", () => {
  const original = bytes(soi, app0, segment(0xe1, exif()), icc, mpf, xmp, iptc, adobe, app15, comment, dqt, sof, dht, sos, scan, eoi);
  assert.ok(contains(original, "GPSLatitude"));
  const result = stripBytes(original);
  assert.equal(result.stripped, true);
  assert.equal(result.format, "jpeg");
  for (const secret of ["GPS", "Moscow", "xmpmeta", "taken at home", "maker notes", "MPF"]) {
    assert.ok(!contains(result.bytes, secret), `${secret} is gone`);
  }
  // SOI, APP0 first, then the orientation only, the ICC profile, Adobe's colour transform,
  // and everything from the tables and the scan on exactly as it was.
  assert.deepEqual(result.bytes, bytes(soi, app0, orientationSegment(6), icc, adobe, dqt, sof, dht, sos, scan, eoi));
});

test("JPEG: little-endian Exif orientation is read too; orientation 1 adds nothing", () => {
  const little = stripBytes(bytes(soi, segment(0xe1, exif({ little: true, orientation: 8 })), sof, sos, scan, eoi));
  assert.deepEqual(little.bytes, bytes(soi, orientationSegment(8), sof, sos, scan, eoi));
  const upright = stripBytes(bytes(soi, app0, segment(0xe1, exif({ orientation: 1 })), sof, sos, scan, eoi));
  assert.deepEqual(upright.bytes, bytes(soi, app0, sof, sos, scan, eoi));
});

test("JPEG: data after EOI (appended previews with their own Exif, motion video) is dropped", () => {
  const preview = bytes(soi, segment(0xe1, exif()), sof, sos, scan, eoi);
  const result = stripBytes(bytes(soi, app0, sof, sos, scan, eoi, preview, "ftypmp42 GPS trailer"));
  assert.equal(result.stripped, true);
  assert.deepEqual(result.bytes, bytes(soi, app0, sof, sos, scan, eoi));
});

test("JPEG: progressive scans with tables and markers between them are kept, APPn between them dropped", () => {
  const original = bytes(soi, sof, sos, scan, dht, comment, sos, scan, [0xff, 0xff], sos, scan, eoi);
  const result = stripBytes(original);
  // The fill bytes before a marker are kept with the scan data, as they were.
  assert.deepEqual(result.bytes, bytes(soi, sof, sos, scan, dht, sos, scan, [0xff, 0xff], sos, scan, eoi));
});

test("JPEG: a file cut in the middle of the scan keeps its data and gets an end marker", () => {
  const result = stripBytes(bytes(soi, segment(0xe1, exif()), sof, sos, scan.subarray(0, 7)));
  assert.equal(result.stripped, true);
  assert.deepEqual(result.bytes, bytes(soi, orientationSegment(6), sof, sos, scan.subarray(0, 7), eoi));
});

test("JPEG: malformed files come back unchanged, not lost", () => {
  const cases = [
    bytes(soi, [0xff, 0xe1, 0x40, 0x00], "short"), // segment longer than the file
    bytes(soi, [0xff, 0xe1, 0x00, 0x01], "x"), // length below 2
    bytes(soi, app0, "garbage where a marker should be"),
    bytes(soi, app0, segment(0xe1, exif()), dqt), // no scan at all
    bytes(soi, [0xff]),
    bytes([0xff, 0xd8, 0xff]),
  ];
  for (const original of cases) {
    const result = stripBytes(original);
    assert.equal(result.stripped, false);
    assert.equal(result.bytes, original);
  }
});

test("JPEG: a broken Exif block does not stop the stripping", () => {
  const broken = segment(0xe1, bytes("Exif\0\0MM", [0, 42], be32(0xfffffff0), "GPS"));
  const result = stripBytes(bytes(soi, broken, sof, sos, scan, eoi));
  assert.equal(result.stripped, true);
  assert.deepEqual(result.bytes, bytes(soi, sof, sos, scan, eoi));
});

// ---- PNG ----

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const chunk = (type, data) => bytes(be32(data.length), type, data, [0xde, 0xad, 0xbe, 0xef]);
const ihdr = chunk("IHDR", bytes(be32(1), be32(1), [8, 6, 0, 0, 0]));
const idat = chunk("IDAT", bytes([0x78, 0x9c, 0x63, 0, 1, 0, 0, 5, 0, 1]));
const iend = chunk("IEND", bytes());

test("PNG: tEXt, zTXt, iTXt, eXIf and tIME chunks go; the rest stays byte for byte", () => {
  const gama = chunk("gAMA", bytes(be32(45455)));
  const iccp = chunk("iCCP", bytes("icc\0\0", [1, 2, 3]));
  const original = bytes(
    PNG_SIGNATURE, ihdr, chunk("tEXt", bytes("Comment\0GPS 55.75 37.61")), iccp, gama,
    chunk("eXIf", exif().subarray(6)), chunk("iTXt", bytes("XML:com.adobe.xmp\0\0\0\0\0<GPS/>")),
    chunk("zTXt", bytes("Author\0\0compressed")), chunk("tIME", bytes([7, 233, 1, 2, 3, 4, 5])), idat, iend,
  );
  const result = stripBytes(original);
  assert.equal(result.stripped, true);
  assert.equal(result.format, "png");
  assert.deepEqual(result.bytes, bytes(PNG_SIGNATURE, ihdr, iccp, gama, idat, iend));
  assert.ok(!contains(result.bytes, "GPS"));
});

test("PNG: trailing data after IEND is dropped; malformed files come back unchanged", () => {
  const clean = stripBytes(bytes(PNG_SIGNATURE, ihdr, idat, iend, "GPS trailer"));
  assert.deepEqual(clean.bytes, bytes(PNG_SIGNATURE, ihdr, idat, iend));
  const cases = [
    bytes(PNG_SIGNATURE, ihdr, be32(5000), "IDAT", [1, 2, 3]), // chunk past the end
    bytes(PNG_SIGNATURE, ihdr, idat), // no IEND
    bytes(PNG_SIGNATURE, idat, ihdr, iend), // IHDR not first
    bytes(PNG_SIGNATURE, ihdr, chunk("t\u0000Xt", bytes("x")), iend),
  ];
  for (const original of cases) {
    const result = stripBytes(original);
    assert.equal(result.stripped, false);
    assert.equal(result.bytes, original);
  }
});

// ---- WebP ----

const riffChunk = (type, data) => bytes(type, le32(data.length), data, data.length & 1 ? [0] : []);
const webp = (...chunks) => {
  const body = bytes("WEBP", ...chunks);
  return bytes("RIFF", le32(body.length), body);
};

test("WebP: EXIF and XMP chunks go, their VP8X flags are cleared and the RIFF size is fixed", () => {
  const vp8x = riffChunk("VP8X", bytes([0x2c, 0, 0, 0], [0, 0, 0], [0, 0, 0])); // ICC + EXIF + XMP
  const iccp = riffChunk("ICCP", bytes("profile"));
  const vp8 = riffChunk("VP8 ", bytes([1, 2, 3, 4, 5])); // odd size: padded
  const original = webp(vp8x, iccp, vp8, riffChunk("EXIF", exif().subarray(6)), riffChunk("XMP ", bytes("<GPS/>")));
  const result = stripBytes(original);
  assert.equal(result.stripped, true);
  assert.equal(result.format, "webp");
  const expectedVp8x = riffChunk("VP8X", bytes([0x20, 0, 0, 0], [0, 0, 0], [0, 0, 0]));
  assert.deepEqual(result.bytes, webp(expectedVp8x, iccp, vp8));
  assert.equal(new DataView(result.bytes.buffer).getUint32(4, true), result.bytes.length - 8);
  assert.ok(!contains(result.bytes, "GPS"));
});

test("WebP: simple files stay as they are; malformed ones come back unchanged", () => {
  const simple = webp(riffChunk("VP8L", bytes([0x2f, 0, 0, 0, 0])));
  assert.deepEqual(stripBytes(simple).bytes, simple);
  const tooLong = webp(riffChunk("VP8 ", bytes([1, 2])));
  tooLong.set(le32(4000), 16); // chunk size past the end
  const shortVp8x = webp(riffChunk("VP8X", bytes([8, 0])));
  const riffPastEnd = webp(riffChunk("VP8 ", bytes([1, 2])));
  riffPastEnd.set(le32(9999), 4);
  for (const original of [tooLong, shortVp8x, riffPastEnd]) {
    const result = stripBytes(original);
    assert.equal(result.stripped, false);
    assert.equal(result.bytes, original);
  }
});

// ---- everything else ----

test("other files (HEIC, PDF, audio) are left alone", async () => {
  const heic = bytes([0, 0, 0, 0x18], "ftypheic", [0, 0, 0, 0], "mif1heic", "Exif GPS");
  const result = stripBytes(heic);
  assert.deepEqual(result, { bytes: heic, format: "", stripped: false });
  assert.equal(sniff(bytes("%PDF-1.7")), "");
  const blob = new Blob([heic], { type: "image/heic" });
  const fromBlob = await stripMetadata(blob);
  assert.equal(fromBlob.stripped, false);
  assert.equal(fromBlob.type, "image/heic");
  assert.deepEqual(fromBlob.bytes, heic);
});

test("stripMetadata takes a Blob and names the type from the bytes when the Blob does not", async () => {
  const original = bytes(soi, app0, segment(0xe1, exif()), sof, sos, scan, eoi);
  const result = await stripMetadata(new Blob([original]));
  assert.equal(result.type, "image/jpeg");
  assert.equal(result.stripped, true);
  assert.ok(!contains(result.bytes, "GPS"));
});

test("random damage never throws, hangs or loses the picture", () => {
  const samples = [
    bytes(soi, app0, segment(0xe1, exif()), dqt, sof, dht, sos, scan, eoi),
    bytes(PNG_SIGNATURE, ihdr, chunk("tEXt", bytes("a\0b")), idat, iend),
    webp(riffChunk("VP8X", bytes(new Uint8Array(10))), riffChunk("VP8 ", bytes([1, 2, 3])), riffChunk("EXIF", bytes("x"))),
  ];
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const started = Date.now();
  for (const sample of samples) {
    for (let round = 0; round < 3000; round++) {
      const damaged = sample.slice(0, 4 + Math.floor(random() * sample.length));
      for (let k = 0; k < 3; k++) damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256);
      const result = stripBytes(damaged);
      assert.ok(result.bytes instanceof Uint8Array);
      if (!result.stripped) assert.equal(result.bytes, damaged);
      else assert.ok(result.bytes.length > 0);
    }
  }
  assert.ok(Date.now() - started < 10000);
});
