/**
 * Loads Project Wycheproof vector files (testvectors_v1 schemas) from test/vectors/wycheproof/,
 * copies pinned to one upstream commit (see test/vectors/SOURCES.md), so the tests run on a
 * fresh clone.
 */
import {readFileSync} from 'node:fs';

export type WycheproofResult = 'valid' | 'invalid' | 'acceptable';

export type WycheproofCase = {
	readonly tcId: number;
	readonly comment: string;
	readonly flags: readonly string[];
	readonly result: WycheproofResult;
};

export type WycheproofFile<Group> = {
	readonly algorithm: string;
	readonly numberOfTests: number;
	readonly testGroups: readonly Group[];
};

/** Schema xdh_comp_schema_v1. */
export type XdhGroup = {
	readonly curve: string;
	readonly tests: ReadonlyArray<WycheproofCase & {private: string; public: string; shared: string}>;
};

/** Schema eddsa_verify_schema_v1. */
export type EddsaGroup = {
	readonly publicKey: {readonly curve: string; readonly pk: string};
	readonly tests: ReadonlyArray<WycheproofCase & {msg: string; sig: string}>;
};

/** Schema aead_test_schema_v1. */
export type AeadGroup = {
	readonly keySize: number;
	readonly ivSize: number;
	readonly tagSize: number;
	readonly tests: ReadonlyArray<
		WycheproofCase & {key: string; iv: string; aad: string; msg: string; ct: string; tag: string}
	>;
};

/** Schema hkdf_test_schema_v1. */
export type HkdfGroup = {
	readonly keySize: number;
	readonly tests: ReadonlyArray<
		WycheproofCase & {ikm: string; salt: string; info: string; size: number; okm: string}
	>;
};

/** Schema rsaes_oaep_decrypt_schema_v1. */
export type OaepGroup = {
	readonly keySize: number;
	readonly sha: string;
	readonly mgf: string;
	readonly mgfSha: string;
	readonly privateKeyPkcs8: string;
	readonly tests: ReadonlyArray<WycheproofCase & {msg: string; ct: string; label: string}>;
};

/** Schema rsassa_pss_verify_schema_v1. */
export type PssGroup = {
	readonly keySize: number;
	readonly sha: string;
	readonly mgf: string;
	readonly mgfSha: string;
	readonly sLen: number;
	readonly publicKeyDer: string;
	readonly tests: ReadonlyArray<WycheproofCase & {msg: string; sig: string}>;
};

export function loadWycheproof<Group>(fileName: string): WycheproofFile<Group> {
	const url = new URL(`../vectors/wycheproof/${fileName}`, import.meta.url);
	return JSON.parse(readFileSync(url, 'utf8')) as WycheproofFile<Group>;
}

/** Every case of a file with its group, in file order. */
export function casesOf<Group extends {tests: readonly WycheproofCase[]}>(
	file: WycheproofFile<Group>,
): Array<{group: Group; test: Group['tests'][number]}> {
	return file.testGroups.flatMap((group) => group.tests.map((test) => ({group, test})));
}

export const hex = (text: string): Buffer => Buffer.from(text, 'hex');

/** How a case is named in a test title: 'wycheproof x25519 tcId 32 (acceptable, Twist)'. */
export function caseTitle(prefix: string, test: WycheproofCase): string {
	const details = [test.result, ...test.flags].join(', ');
	const comment = test.comment === '' ? '' : `: ${test.comment}`;
	return `wycheproof ${prefix} tcId ${test.tcId} (${details})${comment}`;
}
