import {generateKeyPairSync} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {
	decrypt,
	encrypt,
	generateKeyPair,
	recoverPrivateKey,
	type FactoringProgress,
} from '../../../source/crypto/teaching/textbook-rsa.js';

/** n of a real RSA key: node:crypto makes it, JWK export of an RSA key is safe on Node 20. */
function realModulus(bits: number): bigint {
	const {publicKey} = generateKeyPairSync('rsa', {modulusLength: bits});
	const {n} = publicKey.export({format: 'jwk'});
	return BigInt('0x' + Buffer.from(n!, 'base64url').toString('hex'));
}

describe('recoverPrivateKey', () => {
	for (const bits of [16, 32, 48, 64]) {
		it(`factors a ${bits}-bit modulus and recovers d`, () => {
			for (let i = 0; i < 3; i++) {
				const key = generateKeyPair(bits);
				const result = recoverPrivateKey(key.e, key.n, {timeLimitMs: 5000});
				expect(result.recovered).toBe(true);
				if (!result.recovered) return;
				expect([result.p, result.q]).toEqual(key.p < key.q ? [key.p, key.q] : [key.q, key.p]);
				expect(result.d).toBe(key.d);
				const m = 0xbeefn % key.n;
				expect(decrypt(encrypt(m, key), {n: key.n, d: result.d})).toBe(m);
				expect(result.method).toBe(bits <= 32 ? 'trial-division' : 'pollard-rho-brent');
				expect(result.iterations).toBeGreaterThan(0);
			}
		});
	}

	it('factors the Stallings modulus 187 = 11 * 17 and finds d = 23', () => {
		expect(recoverPrivateKey(7n, 187n)).toMatchObject({recovered: true, p: 11n, q: 17n, d: 23n});
	});

	for (const bits of [1024, 2048]) {
		it(`gives up on a real ${bits}-bit modulus soon after a 200 ms limit`, () => {
			const n = realModulus(bits);
			const progress: FactoringProgress[] = [];
			const start = performance.now();
			const result = recoverPrivateKey(65_537n, n, {
				timeLimitMs: 200,
				onProgress: (report) => progress.push(report),
			});
			const wall = performance.now() - start;
			expect(result).toMatchObject({recovered: false, reason: 'time-limit', timeLimitMs: 200});
			expect(result.elapsedMs).toBeGreaterThanOrEqual(200);
			expect(wall).toBeLessThan(1000);
			expect(progress.length).toBeGreaterThan(0);
			expect(progress.at(-1)!.phase).toBe('pollard-rho-brent');
		});
	}

	it('says when n is prime, not two primes, or e has no inverse', () => {
		expect(recoverPrivateKey(3n, 65_537n)).toMatchObject({recovered: false, reason: 'n-is-prime'});
		expect(recoverPrivateKey(3n, (1n << 61n) - 1n)).toMatchObject({
			recovered: false,
			reason: 'n-is-prime',
		});
		expect(recoverPrivateKey(7n, 3n * 5n * 7n)).toMatchObject({
			recovered: false,
			reason: 'not-two-primes',
		});
		// phi(187) = 160 is divisible by 5.
		expect(recoverPrivateKey(5n, 187n)).toMatchObject({
			recovered: false,
			reason: 'e-not-invertible',
		});
		expect(() => recoverPrivateKey(3n, 2n)).toThrow(/n must be at least 4/);
	});

	it('reports progress while it works', () => {
		const key = generateKeyPair(64);
		const progress: FactoringProgress[] = [];
		const result = recoverPrivateKey(key.e, key.n, {onProgress: (report) => progress.push(report)});
		expect(result.recovered).toBe(true);
		for (const [i, report] of progress.entries()) {
			expect(report.iterations).toBe((i + 1) * 1024);
		}
	});
});
