// Ed25519 for the offline scanner (verify tickets and personal codes) and for the phone's
// personal code (a key pair made on the phone, signing the current time): RFC 8032, strict, with
// a pure-JS SHA-512 so it also works where crypto.subtle is missing (plain-http venue networks).
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
ed.hashes.sha512 = sha512;
export function verify(signature, message, publicKey) {
  return ed.verify(signature, message, publicKey, { zip215: false });
}
export function sign(message, secretKey) {
  return ed.sign(message, secretKey);
}
export function getPublicKey(secretKey) {
  return ed.getPublicKey(secretKey);
}
export function randomSecretKey() {
  return ed.utils.randomSecretKey();
}
