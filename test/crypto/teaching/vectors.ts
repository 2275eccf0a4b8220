/**
 * Loads the teaching vectors from test/vectors/ (copies of ../shared/vectors, see
 * test/vectors/SOURCES-teaching.md), so that the tests run on a fresh clone.
 */
import {readFileSync} from 'node:fs';

function load(name: string): unknown {
	return JSON.parse(readFileSync(new URL(`../../vectors/${name}`, import.meta.url), 'utf8'));
}

export type SdesVectors = {
	readonly description: string;
	readonly subkeys: ReadonlyArray<{key: string; k1: string; k2: string; source: string}>;
	readonly encrypt: ReadonlyArray<{
		key: string;
		plaintext: string;
		ciphertext: string;
		source: string;
	}>;
	readonly decrypt: ReadonlyArray<{
		key: string;
		ciphertext: string;
		plaintext: string;
		source: string;
	}>;
};

export type TextbookRsaVectors = {
	readonly description: string;
	readonly examples: ReadonlyArray<{
		p: number;
		q: number;
		n: number;
		phi: number;
		e: number;
		d: number;
		message: number;
		ciphertext: number;
	}>;
};

export const sdesVectors = load('sdes.json') as SdesVectors;
export const textbookRsaVectors = load('textbook-rsa.json') as TextbookRsaVectors;
