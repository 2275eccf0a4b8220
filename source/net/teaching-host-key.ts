/**
 * INSECURE: the teaching suite's textbook RSA host key, kept in the server's data folder
 * (host_textbook_rsa_key, JSON of decimal integers, mode 0600) so that known_hosts can remember it
 * like any other key. Only `serve --insecure-teaching` and the lab load this module.
 */
import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {DEFAULT_SUITE_IDS} from '../crypto/suites.js';
import {textbookRsa, type TextbookRsaPrivateKey} from '../crypto/teaching/index.js';
import type {LocalHostKey} from '../protocol/host-key-algorithms.js';
import {
	SUITE_TEACHING_TEXTBOOK_RSA_SHA1_SDES,
	TEACHING_MODULUS_BITS,
	teachingLocalHostKey,
} from '../protocol/teaching-suite.js';

export const TEACHING_KEY_FILE = 'host_textbook_rsa_key';

export function loadOrCreateTeachingKey(
	directory: string | undefined,
	bits = TEACHING_MODULUS_BITS,
): TextbookRsaPrivateKey {
	const file = directory ? join(directory, TEACHING_KEY_FILE) : undefined;
	if (file && existsSync(file)) {
		try {
			const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
			const p = BigInt(stored['p'] ?? '');
			const q = BigInt(stored['q'] ?? '');
			const e = BigInt(stored['e'] ?? '');
			return textbookRsa.privateKeyFromFactors(p, q, e);
		} catch (error) {
			throw new Error(`teaching host key file ${file} is unreadable: ${(error as Error).message}`, {
				cause: error,
			});
		}
	}

	const key = textbookRsa.generateKeyPair(bits);
	if (file && directory) {
		mkdirSync(directory, {recursive: true, mode: 0o700});
		const temporary = `${file}.${process.pid}.tmp`;
		writeFileSync(
			temporary,
			`${JSON.stringify({warning: 'INSECURE textbook RSA teaching key', p: key.p.toString(), q: key.q.toString(), e: key.e.toString()})}\n`,
			{mode: 0o600},
		);
		renameSync(temporary, file);
	}

	return key;
}

/** The extra host key and the suite list of a server that allows the teaching suite. */
export function teachingServerSetup(
	directory: string | undefined,
	suites: readonly number[] | undefined,
): {extraHostKeys: LocalHostKey[]; suites: number[]} {
	const base = suites ?? DEFAULT_SUITE_IDS;
	return {
		extraHostKeys: [teachingLocalHostKey(loadOrCreateTeachingKey(directory))],
		suites: base.includes(SUITE_TEACHING_TEXTBOOK_RSA_SHA1_SDES)
			? [...base]
			: [...base, SUITE_TEACHING_TEXTBOOK_RSA_SHA1_SDES],
	};
}

/** A client with --insecure-teaching offers the teaching suite first, then the secure ones. */
export function teachingClientSuites(suites: readonly number[] | undefined): number[] {
	const base = suites ?? DEFAULT_SUITE_IDS;
	return base.includes(SUITE_TEACHING_TEXTBOOK_RSA_SHA1_SDES)
		? [...base]
		: [SUITE_TEACHING_TEXTBOOK_RSA_SHA1_SDES, ...base];
}
