/**
 * Flipping any single byte of any handshake message (PROTOCOL.md section 4) must stop the
 * handshake: for every byte position of ClientHello, ServerHello, ClientFinished and (RSA suite)
 * ServerFinished, frame header included, a fresh pair runs with the interceptor XORing 0x01 into
 * that byte. Then the handshake does not complete on at least one side, neither side delivers
 * application data, and nothing throws out of the machines. Only the low bit of each byte is
 * flipped, to keep the run short (host keys are reused, see testHostKeys).
 *
 * Sampling, RSA suite only: a full RSA loop took about 22 s here (each fresh pair signs with
 * RSA-3072 and, for ClientFinished, decrypts), over the 15 s budget. So inside the three long opaque
 * RSA blobs (ServerHello's host_key SPKI and signature, ClientFinished's encrypted_secret) only every
 * 3rd byte is flipped; every other byte of those messages (headers, lengths, randoms, suite, types,
 * Finished MACs) is still flipped. The X25519 loops flip every byte.
 */
import {describe, expect, it} from 'vitest';
import {
	DEFAULT_SUITE_IDS,
	SUITE_RSA_3072_PSS_AES_256_GCM_SHA256 as RSA,
	SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256 as X25519_CHACHA,
	suiteById,
} from '../../source/crypto/suites.js';
import {
	decodeClientFinished,
	decodeServerHello,
	FRAME_HEADER_LENGTH,
	FrameType,
	frameTypeNames,
} from '../../source/protocol/codec.js';
import {Pair, type Direction} from '../helpers/pair.js';
import {bodyOf, flipBit, framesOf, onFrame} from './wire.js';

type Target = {
	readonly type: FrameType;
	readonly direction: Direction;
	/** Outcomes ("role:error code") that must show up among the flips: proof the checks ran. */
	readonly mustSee: readonly string[];
};

/** Frame offsets [start, end) of the RSA blobs sampled every 3rd byte (see the header). */
function rsaBlobs(frame: Buffer): Array<[number, number]> {
	const at = (offset: number) => FRAME_HEADER_LENGTH + offset;
	if (frame[0] === FrameType.serverHello) {
		const {hello, signedEnd, signatureEnd} = decodeServerHello(bodyOf(frame));
		return [
			[at(signedEnd - hello.hostKey.length), at(signedEnd)],
			[at(signedEnd + 2), at(signatureEnd)],
		];
	}

	if (frame[0] === FrameType.clientFinished)
		return [[at(2), at(decodeClientFinished(bodyOf(frame)).secretEnd)]];
	return [];
}

/** The byte positions to flip: all of them, except every 3rd only inside RSA blobs. */
function positionsOf(frame: Buffer, sampleRsaBlobs: boolean): number[] {
	const blobs = sampleRsaBlobs ? rsaBlobs(frame) : [];
	const positions: number[] = [];
	for (let index = 0; index < frame.length; index++) {
		const blob = blobs.find(([start, end]) => index >= start && index < end);
		if (!blob || (index - blob[0]) % 3 === 0) positions.push(index);
	}

	return positions;
}

function flipsOf(
	suites: readonly number[],
	target: Target,
): {length: number; flipped: number; problems: string[]; outcomes: Set<string>} {
	const clean = new Pair({client: {suites}}).handshake();
	const [frame] = framesOf(clean.wire, target.type);
	if (!frame) throw new Error(`no ${frameTypeNames[target.type]} in a clean handshake`);

	const problems: string[] = [];
	const outcomes = new Set<string>();
	const positions = positionsOf(frame, suites.includes(RSA) && suites.length === 1);
	for (const index of positions) {
		let pair: Pair;
		try {
			pair = new Pair(
				{client: {suites}},
				onFrame(target.direction, target.type, (bytes) => [flipBit(bytes, index)]),
			);
			pair.handshake();
			pair.sendApplicationData('client', 'transfer 100 to mallory');
			pair.sendApplicationData('server', 'ok');
		} catch (error) {
			problems.push(`byte ${index}: threw ${String(error)}`);
			continue;
		}

		if (pair.completed('client') && pair.completed('server'))
			problems.push(`byte ${index}: both sides completed`);
		if (pair.client.state === 'open' && pair.server.state === 'open')
			problems.push(`byte ${index}: both sides open`);
		if (pair.received('client').length > 0)
			problems.push(`byte ${index}: client got data ${pair.received('client').join(', ')}`);
		if (pair.received('server').length > 0)
			problems.push(`byte ${index}: server got data ${pair.received('server').join(', ')}`);
		for (const role of ['client', 'server'] as const) {
			const code = (role === 'client' ? pair.client : pair.server).error?.code;
			outcomes.add(`${role}:${code ?? (pair.completed(role) ? 'completed' : 'waiting')}`);
		}
	}

	return {length: frame.length, flipped: positions.length, problems, outcomes};
}

const hello: Target = {
	type: FrameType.clientHello,
	direction: 'toServer',
	mustSee: ['client:bad_signature', 'server:protocol_version'],
};
const cases: Array<[suites: readonly number[], target: Target]> = [
	// The default offer: three suites and a key share.
	[DEFAULT_SUITE_IDS, hello],
	[[X25519_CHACHA], hello],
	[
		[X25519_CHACHA],
		{
			type: FrameType.serverHello,
			direction: 'toClient',
			mustSee: ['client:bad_signature', 'client:bad_finished'],
		},
	],
	[
		[X25519_CHACHA],
		{
			type: FrameType.clientFinished,
			direction: 'toServer',
			mustSee: ['server:bad_finished', 'server:decode_error'],
		},
	],
	[[RSA], hello],
	[
		[RSA],
		{
			type: FrameType.serverHello,
			direction: 'toClient',
			mustSee: ['client:bad_signature', 'client:illegal_parameter'],
		},
	],
	[
		[RSA],
		{
			type: FrameType.clientFinished,
			direction: 'toServer',
			mustSee: ['server:decrypt_error', 'server:bad_finished'],
		},
	],
	[
		[RSA],
		{
			type: FrameType.serverFinished,
			direction: 'toClient',
			mustSee: ['client:bad_finished', 'server:alert_received'],
		},
	],
];

describe('every byte of every handshake message, flipped', () => {
	for (const [suites, target] of cases) {
		const offer = suites.map((id) => suiteById(id)!.name).join(' + ');
		it(`${frameTypeNames[target.type]} (${offer}): no completion on both sides, no data, no throw`, () => {
			const {length, flipped, problems, outcomes} = flipsOf(suites, target);
			expect(length).toBeGreaterThan(3);
			if (!suites.includes(RSA) || suites.length > 1) expect(flipped).toBe(length);
			expect(problems).toEqual([]);
			for (const outcome of target.mustSee)
				expect([...outcomes], `some flip gives ${outcome}`).toContain(outcome);
		});
	}
});
