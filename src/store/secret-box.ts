/**
 * Encryption at rest of the secrets the server must read back: a webhook endpoint's signing
 * secret is the HMAC key of every delivery (so it cannot be hashed like an API key) and is
 * shown to its owner by GET /v1/sandbox/webhook, yet a copy of the database must not reveal
 * it. AES-256-GCM (NIST SP 800-38D) with a random 96-bit IV per value and its 128-bit tag;
 * the sealed form is text, so it fits a TEXT column on both dialects:
 * `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
/** AES-256: the key is 32 bytes. */
export const SECRETS_KEY_BYTES = 32;

/** Seals and opens secrets with one 32-byte key. */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== SECRETS_KEY_BYTES)
      throw new Error(`a secrets key is ${SECRETS_KEY_BYTES} bytes, got ${key.length}`);
  }

  /** `plain` (UTF-8) sealed as `v1.<iv>.<tag>.<ciphertext>`; a new IV each time. */
  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /**
   * The plain text of a sealed value.
   * @throws Error when the value is not in the sealed form, was altered, or was sealed under
   *   another key (the message says which key the server uses, never the value).
   */
  open(sealed: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION)
      throw new Error('a stored secret is not in the sealed form v1.<iv>.<tag>.<ciphertext>');
    const [iv, tag, body] = parts.slice(1).map((part) => Buffer.from(part, 'base64url')) as [Buffer, Buffer, Buffer];
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new Error(
        "a stored secret cannot be opened with this server's secrets key (SECRETS_KEY, or the key file beside the SQLite database): it was sealed under another key or altered; delete the webhook endpoint and register it again",
        { cause: error },
      );
    }
  }

  /** Whether a stored value is sealed (rows written before encryption at rest hold the secret in clear). */
  static isSealed(value: string): boolean {
    return value.startsWith(`${VERSION}.`);
  }
}
