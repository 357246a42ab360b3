// enc.bundle.js: loaded by intake.js after first paint.
import { encryptAttachment, encryptReport } from "./encrypt.js";
import { padme } from "./padding.js";
import { stripMetadata } from "./strip.js";

window.TestimonyEnc = Object.freeze({ encryptReport, encryptAttachment, stripMetadata, padme });
