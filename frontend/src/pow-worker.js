// Dedicated worker: {challenge, difficulty} in, {challenge, nonce} out.
import { solve } from "./pow.js";

self.onmessage = (event) => {
  const { challenge, difficulty } = event.data || {};
  try {
    self.postMessage({ challenge, nonce: solve(String(challenge), Number(difficulty) | 0) });
  } catch (error) {
    self.postMessage({ challenge, error: String(error) });
  }
};
