// Build the intake page's scripts into ../static/intake/js/ and print their gzipped sizes.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
export const OUTDIR = join(root, "..", "static", "intake", "js");
export const OUTPUTS = ["intake.js", "enc.bundle.js", "pow-worker.js"];
const banner = { js: "/* Built from frontend/ by `npm run build`; do not edit. */" };

// The page encrypts only to an X25519 recipient (encrypt.js checks this first), so the code
// that age-encryption keeps for post-quantum, P-256 tag and passphrase recipients is left out;
// calling it would throw. That takes the bundle from about 53 KB to about 24 KB gzipped.
const UNUSED = new Set(["@noble/post-quantum/hybrid.js", "@noble/curves/nist.js", "@noble/hashes/scrypt.js"]);
const leaveOutUnusedRecipients = {
  name: "leave-out-unused-recipients",
  setup(b) {
    b.onResolve({ filter: /^@noble\// }, (args) =>
      UNUSED.has(args.path) && /[\\/]age-encryption[\\/]/.test(args.importer)
        ? { path: args.path, namespace: "unused" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "unused" }, () => ({
      contents:
        "const no = () => { throw new Error('left out of this build'); };" +
        "export const scrypt = no; export const p256 = {};" +
        "export const MLKEM768P256 = { encapsulate: no, decapsulate: no, getPublicKey: no };" +
        "export const MLKEM768X25519 = { encapsulate: no, decapsulate: no, getPublicKey: no };",
      loader: "js",
    }));
  },
};

const common = {
  bundle: true,
  minify: true,
  format: "iife",
  legalComments: "none",
  charset: "utf8",
  banner,
  logLevel: "warning",
};

/** Build the three files into `outdir`. */
export async function buildAll(outdir = OUTDIR) {
  // intake.js runs on every submitter page, also on old phones: plain ES2017 syntax.
  await build({ ...common, entryPoints: [join(root, "src", "intake.js")], outfile: join(outdir, "intake.js"), target: "es2017" });
  // The crypto needs BigInt, so ES2020 is the floor for these two.
  await build({
    ...common,
    entryPoints: [join(root, "src", "enc.js")],
    outfile: join(outdir, "enc.bundle.js"),
    target: "es2020",
    plugins: [leaveOutUnusedRecipients],
  });
  await build({ ...common, entryPoints: [join(root, "src", "pow-worker.js")], outfile: join(outdir, "pow-worker.js"), target: "es2020" });
}

export function gzippedSizes(outdir = OUTDIR) {
  return Object.fromEntries(OUTPUTS.map((name) => {
    const data = readFileSync(join(outdir, name));
    return [name, { bytes: data.length, gzipped: gzipSync(data, { level: 9 }).length }];
  }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildAll();
  let total = 0;
  for (const [name, size] of Object.entries(gzippedSizes())) {
    total += size.gzipped;
    console.log(`${name.padEnd(16)} ${String(size.bytes).padStart(7)} B  ${String(size.gzipped).padStart(6)} B gzipped`);
  }
  console.log(`${"total".padEnd(16)} ${"".padStart(7)}    ${String(total).padStart(6)} B gzipped`);
}
