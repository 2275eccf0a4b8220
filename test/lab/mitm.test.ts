/**
 * Lab scenario `mitm` (source/lab/mitm.ts): a client that trusts any key (the seed, on the INSECURE
 * teaching suite) hands its password to the attacker's relay; a client whose known_hosts holds the
 * bank's key sees CHANGED and refuses with exit code 3. Also: the lab leaves its temp folder empty.
 */
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import type {MitmResult} from '../../source/lab/mitm.js';
import {CUSTOMER_PASSWORD} from '../../source/lab/workspace.js';
import {expectReport, runCollected} from './helpers.js';

// The scenario's temporary folders go here, so the test can see that none is left behind.
const privateTmp = mkdtempSync(join(tmpdir(), 'securebank-lab-test-'));
const savedTmp = process.env.TMPDIR;
process.env.TMPDIR = privateTmp;

afterAll(() => {
	if (savedTmp === undefined) delete process.env.TMPDIR;
	else process.env.TMPDIR = savedTmp;
	rmSync(privateTmp, {recursive: true, force: true});
});

describe('lab mitm', () => {
	it('fools a client that trusts any key, and is refused by one that remembers the key', async () => {
		const {run, lines} = await runCollected('mitm');
		expect(run.error).toBeUndefined();
		expect(run.asExpected).toBe(true);
		const result = run.result as MitmResult;

		expect(result.teaching.attackSucceeded).toBe(true);
		expect(result.teaching.acceptedFingerprint).not.toBe(result.teaching.bankFingerprint);
		expect(result.teaching.captured.some((text) => text.includes(CUSTOMER_PASSWORD))).toBe(true);
		expect(result.teaching.captured.some((text) => text.includes('"op":"deposit"'))).toBe(true);
		expect(result.teaching.ledgerBalanceCents).toBe(2500);

		expect(result.default.attackSucceeded).toBe(false);
		expect(result.default.customerConnected).toBe(false);
		expect(result.default.trustStatus).toBe('changed');
		expect(result.default.exitCode).toBe(3);
		expect(result.default.errorCode).toBe('host_key_rejected');
		expect(result.default.presentedFingerprint).toMatch(/^SHA256:/);
		expect(result.default.knownFingerprint).toMatch(/^SHA256:/);
		expect(result.default.presentedFingerprint).not.toBe(result.default.knownFingerprint);
		expect(result.default.captured).toEqual([]);

		expectReport(lines);
		expect(lines.some((line) => line.includes('CHANGED'))).toBe(true);
		expect(readdirSync(privateTmp)).toEqual([]);
	});
});
