// The pseudonymization key: 32 random bytes kept outside the warehouse, in a 0600 key file that
// `claimlens init` creates or in CLAIMLENS_KEY. A missing or malformed key is an error, never a fallback.
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ClaimlensError } from '../errors.ts';

export const KEY_BYTES = 32;
export const KEY_ENV = 'CLAIMLENS_KEY';
const HEX_KEY = /^[0-9a-fA-F]{64}$/;

/** Where a key came from, for messages and the audit log (never the key itself). */
export interface LoadedKey {
  key: Buffer;
  source: string;
}

/**
 * Creates a key file of 32 random bytes (as 64 hex characters) readable by its owner only. Refuses
 * to overwrite an existing file: a new key would make every token of the warehouse unjoinable.
 *
 * @example createKeyFile('.claimlens/key')
 */
export function createKeyFile(path: string): string {
  const abs = resolve(path);
  if (existsSync(abs)) {
    throw new ClaimlensError(
      'config',
      `a key already exists at ${abs}; claimlens never overwrites a key (rotation: see docs/governance.md)`,
    );
  }
  mkdirSync(dirname(abs), { recursive: true, mode: 0o700 });
  // 'wx' is O_CREAT|O_EXCL: fails if another process created the file since the check above.
  const fd = openSync(abs, 'wx', 0o600);
  try {
    writeSync(fd, `${randomBytes(KEY_BYTES).toString('hex')}\n`);
  } finally {
    closeSync(fd);
  }
  return abs;
}

function parseHexKey(text: string, where: string): Buffer {
  const t = text.trim();
  if (!HEX_KEY.test(t)) {
    throw new ClaimlensError(
      'config',
      `${where} must hold exactly 64 hex characters (32 bytes); create one with \`claimlens init\``,
    );
  }
  return Buffer.from(t, 'hex');
}

/**
 * Reads the key: CLAIMLENS_KEY when set, else the key file. The file must not be readable by group or
 * others (as ssh does for private keys), because whoever reads it can re-identify tokens by guessing.
 */
export function loadKey(keyFile: string, env: NodeJS.ProcessEnv = process.env): LoadedKey {
  const fromEnv = env[KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    return { key: parseHexKey(fromEnv, `environment variable ${KEY_ENV}`), source: `env ${KEY_ENV}` };
  }
  const abs = resolve(keyFile);
  if (!existsSync(abs)) {
    throw new ClaimlensError(
      'config',
      `pseudonymization is on but there is no key: run \`claimlens init\` to create ${keyFile}, or set ${KEY_ENV} to 64 hex characters (or set governance.pseudonymize to false)`,
      { file: abs },
    );
  }
  if (process.platform !== 'win32' && (statSync(abs).mode & 0o077) !== 0) {
    throw new ClaimlensError(
      'config',
      `key file permissions are too open: run \`chmod 600 ${abs}\` (only its owner may read it)`,
      { file: abs },
    );
  }
  return { key: parseHexKey(readFileSync(abs, 'utf8'), `key file ${abs}`), source: abs };
}

/**
 * A short public fingerprint of a key (an HMAC of a fixed label, so it reveals nothing of the key),
 * recorded in the warehouse to detect a load with a different key that would break joins.
 */
export function keyFingerprint(key: Buffer): string {
  return createHmac('sha256', key).update('claimlens key fingerprint v1').digest('hex').slice(0, 16);
}

/**
 * A subkey for one purpose (HKDF-SHA-256, RFC 5869), so API-token signing and pseudonymization never
 * share key material and a token key can be retired by bumping `epoch` without re-keying the data.
 */
export function deriveKey(key: Buffer, purpose: string, epoch = 1): Buffer {
  return Buffer.from(hkdfSync('sha256', key, 'claimlens', `${purpose} epoch ${epoch}`, 32));
}
