import {describe, expect, it} from 'vitest';
import {DEFAULT_SUITE_IDS, suiteById} from '../../source/crypto/suites.js';
import {Pair} from '../helpers/pair.js';

describe('smoke', () => {
	for (const id of DEFAULT_SUITE_IDS) {
		it(`handshake + data ${suiteById(id)!.name}`, () => {
			const pair = new Pair({client: {suites: [id]}}).handshake();
			expect(pair.client.state).toBe('open');
			expect(pair.server.state).toBe('open');
			pair.clientOutput(pair.client.send(Buffer.from('deposit 5')));
			pair.serverOutput(pair.server.send(Buffer.from('ok')));
			pair.run();
			expect(pair.received('server')).toEqual(['deposit 5']);
			expect(pair.received('client')).toEqual(['ok']);
		});
	}
});
