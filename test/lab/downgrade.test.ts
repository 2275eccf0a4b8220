/**
 * Lab scenario `downgrade` (source/lab/downgrade.ts): a customer that allows the INSECURE teaching
 * suite (offered last) is downgraded to it end to end once the attacker also breaks the textbook
 * key exchange and mends both Finished MACs; stripping alone fails (bad_finished). A customer that
 * offers only the secure suites refuses: bad_signature for a stripped offer, illegal_parameter for
 * a suite it never offered.
 */
import {describe, expect, it} from 'vitest';
import type {DowngradeResult} from '../../source/lab/downgrade.js';
import {CUSTOMER_PASSWORD} from '../../source/lab/workspace.js';
import {expectReport, runCollected} from './helpers.js';

describe('lab downgrade', () => {
	it('downgrades a client that allows the weak suite, and no other', async () => {
		const {run, lines} = await runCollected('downgrade');
		expect(run.error).toBeUndefined();
		expect(run.asExpected).toBe(true);
		const result = run.result as DowngradeResult;

		const [stripOnly, full] = result.teaching.attempts;
		expect(result.teaching.offered.at(-1)).toBe('INSECURE_TEXTBOOK_RSA_SHA1_SDES');
		expect(stripOnly).toMatchObject({
			connected: false,
			bankChose: 'INSECURE_TEXTBOOK_RSA_SHA1_SDES',
			bankError: 'bad_finished',
		});
		expect(full).toMatchObject({
			connected: true,
			bankChose: 'INSECURE_TEXTBOOK_RSA_SHA1_SDES',
			customerSuite: 'INSECURE_TEXTBOOK_RSA_SHA1_SDES',
		});
		expect(result.teaching.attackSucceeded).toBe(true);
		expect(result.teaching.captured.some((text) => text.includes(CUSTOMER_PASSWORD))).toBe(true);

		const [toRsa, toTeaching] = result.default.attempts;
		expect(result.default.attackSucceeded).toBe(false);
		expect(toRsa).toMatchObject({
			connected: false,
			bankChose: 'RSA_3072_PSS_AES_256_GCM_SHA256',
			customerError: 'bad_signature',
		});
		expect(toTeaching).toMatchObject({connected: false, customerError: 'illegal_parameter'});

		expectReport(lines);
	});
});
