/**
 * Lab scenario `replay` (source/lab/replay.ts): the INSECURE teaching suite's fixed-sentence
 * signature verifies for a fresh client and a keyless impersonator passes the client's signature
 * check; the default suite's recorded ServerHello fails with bad_signature. Replayed client flights
 * fail with bad_finished in both suites (the server's fresh random changes every key).
 */
import {describe, expect, it} from 'vitest';
import type {ReplayResult} from '../../source/lab/replay.js';
import {expectReport, runCollected} from './helpers.js';

describe('lab replay', () => {
	it('replays the fixed-sentence signature, and nothing else', async () => {
		const {run, lines} = await runCollected('replay');
		expect(run.error).toBeUndefined();
		expect(run.asExpected).toBe(true);
		const result = run.result as ReplayResult;

		expect(result.teaching.attackSucceeded).toBe(true);
		expect(result.teaching.verifiesForFreshRandom).toBe(true);
		expect(result.teaching.signatureAccepted).toBe(true);
		expect(result.teaching.trustStatus).toBe('known');
		// Honest: the impersonator holds no key, so the handshake stops after the client's Finished.
		expect(result.teaching.clientError).toBe('closed');

		expect(result.default.attackSucceeded).toBe(false);
		expect(result.default.signatureAccepted).toBe(false);
		expect(result.default.clientError).toBe('bad_signature');

		for (const side of [result.teaching, result.default]) {
			expect(side.flightReplay.serverHello).toBeDefined();
			expect(side.flightReplay.alert?.name).toBe('decrypt_error');
			expect(side.flightReplay.recordsFromServer).toBe(0);
			expect(side.serverErrors).toContain('bad_finished');
		}

		expectReport(lines);
	});
});
