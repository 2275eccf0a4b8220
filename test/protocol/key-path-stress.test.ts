/**
 * RECIPES.md: on Node 20 a JWK export of a fresh X25519/Ed25519 key can deadlock the process. Our
 * key path never does that; this runs thousands of full handshakes in memory to keep it so (a
 * hang shows up as a test timeout).
 */
import {describe, expect, it} from 'vitest';
import {SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256} from '../../source/crypto/suites.js';
import {Pair} from '../helpers/pair.js';

describe('key path stress', () => {
	it('3000 X25519 handshakes complete, each with fresh keys', () => {
		const fingerprints = new Set<string>();
		for (let index = 0; index < 3000; index++) {
			const pair = new Pair({
				client: {suites: [SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256]},
			}).handshake();
			if (pair.client.state !== 'open' || pair.server.state !== 'open')
				throw new Error(`handshake ${index} did not complete`);
			const key = pair.clientEvents.find(
				(event) => event.type === 'key' && event.name === 'client application traffic secret',
			);
			if (key?.type === 'key') fingerprints.add(key.fingerprint);
		}

		expect(fingerprints.size).toBe(3000);
	}, 60_000);
});
