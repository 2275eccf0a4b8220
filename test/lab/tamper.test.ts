/**
 * Lab scenario `tamper` (source/lab/tamper.ts): blind bit flips in the INSECURE teaching suite's
 * S-DES CBC records (no MAC) change a deposit's amount at the bank; the same flip in a
 * ChaCha20-Poly1305 record is bad_record_mac and nothing is applied.
 */
import {describe, expect, it} from 'vitest';
import type {TamperResult} from '../../source/lab/tamper.js';
import {expectReport, runCollected} from './helpers.js';

describe('lab tamper', () => {
	it('changes the amount silently without a MAC, and not with an AEAD', async () => {
		const {run, lines} = await runCollected('tamper');
		expect(run.error).toBeUndefined();
		expect(run.asExpected).toBe(true);
		const result = run.result as TamperResult;

		const {teaching} = result;
		expect(teaching.attackSucceeded).toBe(true);
		expect(teaching.attempts).toBeGreaterThanOrEqual(1);
		expect(teaching.appliedCents).toHaveLength(1);
		const applied = teaching.appliedCents[0]!;
		expect(applied).not.toBe(teaching.requestedCents);
		// "1000" -> "?600": the second digit was set to 6 by the flip.
		expect(applied % 1000).toBe(600);
		expect(teaching.balanceAfterCents - teaching.balanceBeforeCents).toBe(applied);
		expect(Object.values(teaching.failures).reduce((sum, count) => sum + count, 0)).toBe(
			teaching.attempts - 1,
		);

		const secure = result.default;
		expect(secure.attackSucceeded).toBe(false);
		expect(secure.attempts).toBe(1);
		expect(secure.appliedCents).toEqual([]);
		expect(secure.balanceAfterCents).toBe(secure.balanceBeforeCents);
		expect(Object.keys(secure.failures)).toEqual(['connection closed, alert bad_record_mac']);

		expectReport(lines);
		expect(
			lines.some((line) =>
				line.includes('bad_record_mac: records: record 1 failed authentication'),
			),
		).toBe(true);
	});
});
