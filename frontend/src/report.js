// The report the page encrypts (JSON, version 1): the same shape as build_report() in
// testimony/intake/report.py, whose validate_report() checks it again in the worker after
// decryption. Pure, so that tests/unit/js/ can check the shape without a page.

const pad2 = (n) => (n < 10 ? "0" : "") + n;

/**
 * @param {object} f the form's answers: kind, year, month, day (0 if not known), country,
 *   place, details, who (list), citizenship ("" if not given), account, language, keepLocation
 */
export function buildReport(f) {
  return {
    v: 1,
    kind: f.kind,
    when: f.year + "-" + pad2(+f.month) + (+f.day ? "-" + pad2(+f.day) : ""),
    where: { country: f.country, place: f.place, details: String(f.details || "").trim() },
    who: f.who,
    // Optional: "" when the submitter prefers not to say (the select's empty default).
    citizenship: f.citizenship || "",
    account: String(f.account || "").trim(),
    language: f.language,
    keep_location: !!f.keepLocation,
    consent: true,
  };
}
