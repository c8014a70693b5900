/** SHA-256 of a text as hex: fingerprints (one per finding) and the default pack's cache check. */
import * as crypto from 'node:crypto';

/**
 * `crypto.hash` (Node.js ≥ 20.12: one call, no Hash object) where this Node.js has it — faster than a Hash
 * object from createHash — else createHash; the same digest either way.
 */
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }).hash;

/**
 * The digest's first `bytes` bytes (all 32 by default) as hex. A shorter one is not left as a cut of the
 * full hex text: V8 makes a cut a slice that keeps all 64 characters alive (a fingerprint kept by a finding:
 * ~118 bytes of heap instead of ~53). JSON.parse of the quoted hex makes a string of its own, ~0.2 µs a call
 * (through the digest's bytes, `Buffer#toString('hex', 0, n)`, ~0.8 µs).
 */
export function sha256Hex(text: string | Uint8Array, bytes = 32): string {
  const hex = oneShot !== undefined ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
  return bytes >= 32 ? hex : (JSON.parse(`"${hex.slice(0, bytes * 2)}"`) as string);
}
