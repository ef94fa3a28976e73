import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/** Discord signs `timestamp + raw body`; we refuse requests further than this from our clock. */
export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;

/** The developer portal's hex public key as a node:crypto Ed25519 key (raw 32 bytes → JWK). */
export function publicKeyFromHex(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new Error('A Discord public key is 64 hex digits (32 bytes)');
  }
  const x = Buffer.from(hex, 'hex').toString('base64url');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
}

export interface SignedRequest {
  /** `X-Signature-Ed25519`: 64 bytes as 128 hex digits. */
  signature: string | undefined;
  /** `X-Signature-Timestamp`: Unix seconds. */
  timestamp: string | undefined;
  /** The body exactly as received: re-serialised JSON would not verify. */
  body: Buffer;
}

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/**
 * Verifies a Discord interaction request: pure apart from the key, clock passed in.
 * Stale means more than five minutes from now either way (a replayed or clock-skewed request).
 */
export function checkSignature(
  request: SignedRequest,
  publicKey: KeyObject,
  nowMs: number,
): SignatureCheck {
  const { signature, timestamp } = request;
  if (!signature || !timestamp) return { ok: false, reason: 'missing' };
  if (!/^[0-9a-fA-F]{128}$/.test(signature) || !/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, reason: 'malformed' };
  }
  if (Math.abs(nowMs - Number(timestamp) * 1000) > MAX_SIGNATURE_AGE_MS) {
    return { ok: false, reason: 'stale' };
  }
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), request.body]);
  const valid = verify(null, signed, publicKey, Buffer.from(signature, 'hex'));
  return valid ? { ok: true } : { ok: false, reason: 'mismatch' };
}
