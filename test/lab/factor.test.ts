/**
 * Lab scenario `factor` (source/lab/factor.ts): the 64-bit textbook RSA key of the INSECURE teaching
 * suite is factored and the recorded session decrypted; the default suite leaves nothing to factor
 * and the real RSA-3072 modulus is not factored within 1 s.
 */
import {describe, expect, it} from 'vitest';
import type {FactorResult} from '../../source/lab/factor.js';
import {CUSTOMER_PASSWORD} from '../../source/lab/workspace.js';
import {expectReport, runCollected} from './helpers.js';

describe('lab factor', () => {
	it('breaks the teaching suite and not the default suite', async () => {
		const {run, lines} = await runCollected('factor');
		expect(run.error).toBeUndefined();
		expect(run.asExpected).toBe(true);
		const result = run.result as FactorResult;

		expect(result.teaching.attackSucceeded).toBe(true);
		expect(result.teaching.recovery.recovered).toBe(true);
		if (result.teaching.recovery.recovered) {
			expect(result.teaching.recovery.p * result.teaching.recovery.q).toBe(result.teaching.n);
		}

		expect(result.teaching.finishedMatches).toBe(true);
		expect(result.teaching.customerRequests[0]).toContain(`"password":"${CUSTOMER_PASSWORD}"`);
		expect(
			result.teaching.customerRequests.some((request) => request.includes('"op":"deposit"')),
		).toBe(true);
		expect(result.teaching.bankResponses.length).toBe(result.teaching.customerRequests.length);

		expect(result.default.attackSucceeded).toBe(false);
		expect(result.default.hostKeyType).toBe('ed25519');
		expect(result.default.encryptedSecretLength).toBe(0);
		expect(result.default.realModulusBits).toBe(3072);
		expect(result.default.realKeyRecovery).toMatchObject({recovered: false, reason: 'time-limit'});

		expectReport(lines);
		expect(lines.some((line) => line.includes(`N = ${result.teaching.n}`))).toBe(true);
		expect(
			lines.some((line) => line.includes(CUSTOMER_PASSWORD) && line.includes('customer->bank')),
		).toBe(true);
	});
});
