/**
 * What the handshake tests assert about a pair after an attack: both ends try to send, and no
 * application data arrives anywhere; the trust-needed events a client emitted.
 */
import {expect} from 'vitest';
import type {EventOf, ProtocolEvent} from '../../source/protocol/events.js';
import type {Pair} from '../helpers/pair.js';

/** Both ends try to send once the dust settles: nothing may arrive on a side that did not finish. */
export function tryApplicationData(pair: Pair): void {
	pair.sendApplicationData('client', 'client data');
	pair.sendApplicationData('server', 'server data');
}

export function expectNoApplicationData(pair: Pair): void {
	expect(pair.events('client', 'application-data')).toEqual([]);
	expect(pair.events('server', 'application-data')).toEqual([]);
}

export function trustNeeded(events: readonly ProtocolEvent[]): Array<EventOf<'trust-needed'>> {
	return events.flatMap((event) => (event.type === 'trust-needed' ? [event] : []));
}
