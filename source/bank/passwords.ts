/**
 * Password hashing with scrypt (RFC 7914), a random 16-byte salt per account, and a constant-time
 * comparison. The only file of the bank that touches node:crypto (scrypt, randomBytes,
 * timingSafeEqual), so the rest of the ledger stays plain rules.
 *
 * Stored form, one string: `scrypt$<N>$<r>$<p>$<salt, base64>$<key, base64>`. The cost travels
 * with the hash, so raising the default later leaves older hashes verifiable.
 *
 * crypto.scrypt (not scryptSync) runs on libuv's thread pool: a login costs ~50 ms of a worker
 * thread at the default cost, not 50 ms of the event loop every other customer waits on.
 * Passwords are NFC-normalized before hashing (RFC 8265's OpaqueString profile does the same), so
 * the same password typed on two keyboards that compose accents differently still matches.
 */
import {randomBytes, scrypt, timingSafeEqual} from 'node:crypto';

/** The scrypt cost parameters: N (CPU/memory cost, a power of two), r (block size), p (parallelism). */
export type ScryptCost = {readonly N: number; readonly r: number; readonly p: number};

/** 2^14 with r = 8: 16 MiB and ~50 ms per hash here, the figure RFC 7914 section 2 suggests for logins. */
export const DEFAULT_SCRYPT_COST: ScryptCost = {N: 2 ** 14, r: 8, p: 1};

const SALT_BYTES = 16;
const KEY_BYTES = 32;

function checkCost(cost: ScryptCost): void {
	const {N, r, p} = cost;
	if (!Number.isSafeInteger(N) || N < 2 || (N & (N - 1)) !== 0 || N > 2 ** 24) {
		throw new RangeError(`scrypt N must be a power of two between 2 and 2^24, got ${N}`);
	}

	if (!Number.isSafeInteger(r) || r < 1 || !Number.isSafeInteger(p) || p < 1) {
		throw new RangeError(`scrypt r and p must be positive integers, got r=${r} p=${p}`);
	}
}

async function deriveKey(
	password: string,
	salt: Uint8Array,
	cost: ScryptCost,
	keyBytes: number,
): Promise<Buffer> {
	// Scrypt needs 128 * N * r bytes; node's default maxmem (32 MiB) is too tight above 2^14.
	const maxmem = 256 * cost.N * cost.r + 1024 * 1024;
	return new Promise((resolve, reject) => {
		scrypt(
			password.normalize('NFC'),
			salt,
			keyBytes,
			{N: cost.N, r: cost.r, p: cost.p, maxmem},
			(error, key) => {
				if (error) {
					reject(error);
				} else {
					resolve(key);
				}
			},
		);
	});
}

/** Hashes a password with a fresh random salt into the stored form. */
export async function hashPassword(
	password: string,
	cost: ScryptCost = DEFAULT_SCRYPT_COST,
): Promise<string> {
	checkCost(cost);
	const salt = randomBytes(SALT_BYTES);
	const key = await deriveKey(password, salt, cost, KEY_BYTES);
	return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join(
		'$',
	);
}

type ParsedPasswordHash = {readonly cost: ScryptCost; readonly salt: Buffer; readonly key: Buffer};

function parsePasswordHash(encoded: string): ParsedPasswordHash | undefined {
	const fields = encoded.split('$');
	if (fields.length !== 6 || fields[0] !== 'scrypt') {
		return undefined;
	}

	const [, n = '', r = '', p = '', salt = '', key = ''] = fields;
	const cost = {N: Number(n), r: Number(r), p: Number(p)};
	try {
		checkCost(cost);
	} catch {
		return undefined;
	}

	const saltBytes = Buffer.from(salt, 'base64');
	const keyBytes = Buffer.from(key, 'base64');
	if (saltBytes.length === 0 || keyBytes.length < 16) {
		return undefined;
	}

	return {cost, salt: saltBytes, key: keyBytes};
}

/** The cost a stored hash was made with, or undefined if it is not a hash this module made. */
export function passwordHashCost(encoded: string): ScryptCost | undefined {
	return parsePasswordHash(encoded)?.cost;
}

/**
 * Whether the password matches the stored hash. The comparison is constant-time; a malformed
 * stored hash never matches.
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
	const parsed = parsePasswordHash(encoded);
	if (!parsed) {
		return false;
	}

	const candidate = await deriveKey(password, parsed.salt, parsed.cost, parsed.key.length);
	return timingSafeEqual(candidate, parsed.key);
}

/**
 * A hash of a random password nobody knows, at the given cost: verifying against it costs what
 * verifying a real account costs, so an unknown name takes as long to refuse as a wrong password.
 */
export async function createDummyPasswordHash(
	cost: ScryptCost = DEFAULT_SCRYPT_COST,
): Promise<string> {
	return hashPassword(randomBytes(24).toString('base64'), cost);
}
