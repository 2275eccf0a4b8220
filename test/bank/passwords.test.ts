/**
 * Password hashing: scrypt (RFC 7914) with a per-account salt, the real cost by default.
 */
import {describe, expect, it} from 'vitest';
import {
	createDummyPasswordHash,
	DEFAULT_SCRYPT_COST,
	hashPassword,
	passwordHashCost,
	verifyPassword,
} from '../../source/bank/passwords.js';
import {TEST_SCRYPT_COST} from './bank-fixtures.js';

describe('passwords', () => {
	it('hashes at N = 2^14, r = 8, p = 1 unless told otherwise', async () => {
		expect(DEFAULT_SCRYPT_COST).toEqual({N: 16_384, r: 8, p: 1});
		const hash = await hashPassword('correct horse');
		const [scheme, n, r, p, salt = '', key = ''] = hash.split('$');
		expect([scheme, n, r, p]).toEqual(['scrypt', '16384', '8', '1']);
		expect(Buffer.from(salt, 'base64')).toHaveLength(16);
		expect(Buffer.from(key, 'base64')).toHaveLength(32);
		expect(passwordHashCost(hash)).toEqual(DEFAULT_SCRYPT_COST);
		expect(await verifyPassword('correct horse', hash)).toBe(true);
	});

	it('verifies the right password only', async () => {
		const hash = await hashPassword('correct horse', TEST_SCRYPT_COST);
		expect(await verifyPassword('correct horse', hash)).toBe(true);
		expect(await verifyPassword('correct horsE', hash)).toBe(false);
		expect(await verifyPassword('', hash)).toBe(false);
	});

	it('salts every hash: the same password never hashes the same twice', async () => {
		const first = await hashPassword('same', TEST_SCRYPT_COST);
		const second = await hashPassword('same', TEST_SCRYPT_COST);
		expect(first).not.toBe(second);
		expect(first.split('$')[4]).not.toBe(second.split('$')[4]);
	});

	it('treats composed and decomposed accents as the same password (NFC)', async () => {
		const hash = await hashPassword('caf\u00E9 au lait', TEST_SCRYPT_COST);
		expect(await verifyPassword('cafe\u0301 au lait', hash)).toBe(true);
	});

	it('never matches a malformed stored hash', async () => {
		for (const stored of [
			'',
			'scrypt$',
			'bcrypt$2b$10$abc',
			'scrypt$3$8$1$c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5',
		]) {
			expect(await verifyPassword('anything', stored)).toBe(false);
		}
	});

	it('makes a dummy hash at the cost asked, matching no password tried', async () => {
		const dummy = await createDummyPasswordHash(TEST_SCRYPT_COST);
		expect(passwordHashCost(dummy)).toEqual(TEST_SCRYPT_COST);
		expect(await verifyPassword('', dummy)).toBe(false);
		expect(await verifyPassword('password', dummy)).toBe(false);
	});
});
