// Ticket signature check for the offline scanner: Ed25519 (RFC 8032, strict) with a pure-JS
// SHA-512, so it also works where crypto.subtle is missing (plain-http venue networks).
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
ed.hashes.sha512 = sha512;
export function verify(signature, message, publicKey) {
  return ed.verify(signature, message, publicKey, { zip215: false });
}
