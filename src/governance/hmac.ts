// HMAC-SHA-256 (RFC 2104) as a DuckDB SQL expression, so identifiers are tokenized set-based inside
// the engine. DuckDB has sha256 but no HMAC; the padded keys travel as query parameters, never as text.
import { createHash, createHmac } from 'node:crypto';
import { blobValue, type DuckDBValue } from '@duckdb/node-api';

/** SHA-256 block size in bytes (RFC 2104: B = 64 for SHA-256). */
const BLOCK = 64;

/** Hex characters of a token after its prefix: 128 bits (collision reasoning in docs/governance.md). */
export const TOKEN_HEX = 32;

/**
 * Identifier families: columns naming the same kind of identifier share a family, so a member id in
 * claims and in eligibility get the same token, while the family label keeps a person id and an SSN
 * with equal text from colliding (domain separation). The prefix tells a reader what a token stands for.
 */
export const TOKEN_FAMILIES = {
  person: 'psn_',
  member: 'mbr_',
  ssn: 'ssn_',
  claim: 'clm_',
  encounter: 'enc_',
  payment: 'pay_',
} as const;

export type TokenFamily = keyof typeof TOKEN_FAMILIES;

/** The identifier family of a column name, or undefined when the column is not a tokenized identifier. */
export function familyOf(column: string): TokenFamily | undefined {
  switch (column) {
    case 'person_id':
      return 'person';
    // A subscriber id is the member id of the policy holder: one family keeps them joinable.
    case 'member_id':
    case 'subscriber_id':
      return 'member';
    case 'social_security_number':
      return 'ssn';
    case 'claim_id':
      return 'claim';
    case 'encounter_id':
      return 'encounter';
    case 'payment_id':
      return 'payment';
    default:
      return undefined;
  }
}

export interface HmacPads {
  /** K xor ipad (0x36 repeated), K zero-padded to the block size. */
  inner: Buffer;
  /** K xor opad (0x5c repeated). */
  outer: Buffer;
}

/** RFC 2104 section 2: keys longer than the block are hashed first, shorter ones zero-padded. */
export function hmacPads(key: Uint8Array): HmacPads {
  const k = Buffer.alloc(BLOCK);
  const raw = key.length > BLOCK ? createHash('sha256').update(key).digest() : Buffer.from(key);
  raw.copy(k);
  const inner = Buffer.alloc(BLOCK);
  const outer = Buffer.alloc(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    inner[i] = k[i]! ^ 0x36;
    outer[i] = k[i]! ^ 0x5c;
  }
  return { inner, outer };
}

/** The two pad parameters, as DuckDB BLOB values, in the order `hmacSql` refers to them. */
export function hmacParams(key: Uint8Array): DuckDBValue[] {
  const { inner, outer } = hmacPads(key);
  return [blobValue(inner), blobValue(outer)];
}

/**
 * SQL for HMAC-SHA-256 of a BLOB expression, as 64 lower-case hex characters:
 * H((K xor opad) || H((K xor ipad) || m)), with the inner digest turned back into bytes by unhex.
 * `inner` and `outer` are the parameter placeholders bound to `hmacParams(key)` (e.g. `$1`, `$2`).
 */
export function hmacSql(messageBlob: string, inner = '$1', outer = '$2'): string {
  return `sha256(${outer}::BLOB || unhex(sha256(${inner}::BLOB || (${messageBlob}))))`;
}

/**
 * SQL turning a text column into its token (`psn_` + 32 hex), NULL and empty values kept as they are.
 * The message is `family:value` (UTF-8), the domain separation described at TOKEN_FAMILIES.
 */
export function tokenSql(column: string, family: TokenFamily, inner = '$1', outer = '$2'): string {
  const message = `encode('${family}:' || ${column})`;
  return `CASE WHEN ${column} IS NULL OR ${column} = '' THEN ${column} ELSE '${TOKEN_FAMILIES[family]}' || left(${hmacSql(message, inner, outer)}, ${TOKEN_HEX}) END`;
}

/** The same token computed in Node, for tests and for tokenizing one value (a lookup by identifier). */
export function tokenOf(key: Uint8Array, family: TokenFamily, value: string): string {
  const mac = createHmac('sha256', key).update(`${family}:${value}`, 'utf8').digest('hex');
  return `${TOKEN_FAMILIES[family]}${mac.slice(0, TOKEN_HEX)}`;
}
