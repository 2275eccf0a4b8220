/**
 * Lab scenario `replay`: a recorded session played again, in both directions.
 *
 * 1. To a fresh client, as the server: "prove it" answered with a recorded signature. In the
 *    INSECURE teaching suite (0x7f01) the host key signs the fixed sentence "Alice, this is Bob",
 *    whatever the transcript: a keyless impersonator splices the recorded host key and signature
 *    into a ServerHello for a new client random, and the real client accepts it (signature check
 *    passed, key known). In the default suite the Ed25519 signature covers H(ClientHello || ...),
 *    which holds the client's fresh random: the recorded ServerHello fails with bad_signature.
 * 2. To the server, as the client: ClientHello, ClientFinished and records replayed. The server's
 *    fresh random changes H(CH || SH), so the Finished keys differ and the replayed client Finished
 *    fails (bad_finished) in BOTH suites: the teaching suite's textbook secret still decrypts, but
 *    the Finished MAC, which the teaching suite keeps from the real protocol, catches it.
 *
 * Exactly-once at the bank layer (requestId) is a separate defence and not exercised here.
 */
import {randomBytes, sha256} from '../crypto/primitives.js';
import {
	SUITE_X25519_ED25519_AES_256_GCM_SHA256,
	SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256,
	suiteById,
} from '../crypto/suites.js';
import {semanticSignature} from '../crypto/teaching/index.js';
import {ClientConnection} from '../protocol/client-handshake.js';
import {
	ByteWriter,
	decodeServerHello,
	encodeFrame,
	encodeServerHelloSigned,
	FrameType,
	FRAME_HEADER_LENGTH,
	RANDOM_LENGTH,
} from '../protocol/codec.js';
import type {ProtocolEvent} from '../protocol/events.js';
import {hostKeyAlgorithm, signingInput} from '../protocol/host-key-algorithms.js';
import {hex, outcomeLine, sectionHeading, type LabOutput} from './output.js';
import {onlyFrame, startProxy, type ProxiedConnection} from './proxy.js';
import {replayClientFlights, startImpersonator, type FlightReplay} from './raw-peer.js';
import type {ScenarioResult, SideResult} from './scenario.js';
import {
	bankAsUsual,
	connectCustomer,
	firstEvent,
	LOOPBACK,
	mustConnectCustomer,
	openAccount,
	startLabBank,
	TEACHING,
	teachingClient,
	withWorkspace,
	type CustomerOptions,
} from './workspace.js';

export type ReplaySideResult = SideResult & {
	/** A fresh client accepted the recorded signature (the real client's own check). */
	readonly signatureAccepted: boolean;
	readonly trustStatus: string | undefined;
	/** The error the fresh client ended with. */
	readonly clientError: string | undefined;
	readonly flightReplay: FlightReplay;
	/** Error codes the bank reported while the client flights were replayed. */
	readonly serverErrors: readonly string[];
};

export type ReplayTeachingResult = ReplaySideResult & {
	/** The recorded signature verifies over a transcript with a brand-new client random. */
	readonly verifiesForFreshRandom: boolean;
};

export type ReplayResult = ScenarioResult<ReplayTeachingResult, ReplaySideResult>;

const SECURE_SUITES = [
	SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256,
	SUITE_X25519_ED25519_AES_256_GCM_SHA256,
];

export async function runReplay(out: LabOutput): Promise<ReplayResult> {
	const teaching = await side(out, 'teaching');
	const secure = await side(out, 'default');
	return {
		teaching: teaching as ReplayTeachingResult,
		default: secure,
		lesson:
			"A proof of identity must answer a fresh challenge: a signature over a fixed sentence replays forever, while one over a transcript holding the client's random is worthless in any other handshake (and fresh server randoms plus Finished MACs stop a replayed client).",
	};
}

async function recordSession(options: CustomerOptions): Promise<void> {
	const customer = await mustConnectCustomer(options);
	await bankAsUsual(customer, 500);
	await customer.close();
}

/** The client's own verdict on the ServerHello signature, from its check events. */
function signatureCheck(events: readonly ProtocolEvent[]): boolean | undefined {
	const check = events.find(
		(event) => event.type === 'check' && event.check === 'host key signature over transcript',
	);
	return check?.type === 'check' ? check.ok : undefined;
}

async function side(
	out: LabOutput,
	which: 'teaching' | 'default',
): Promise<ReplaySideResult & {verifiesForFreshRandom?: boolean}> {
	const teaching = which === 'teaching';
	const suites = teaching ? [TEACHING] : SECURE_SUITES;
	sectionHeading(
		out,
		which,
		teaching
			? `0x7f01 ${suiteById(TEACHING)!.name}`
			: `0x0001 ${suiteById(SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256)!.name}`,
	);
	return withWorkspace(async (workspace) => {
		const bank = await startLabBank(workspace, 'bank', {suites});
		await openAccount(bank);
		const serverErrors: string[] = [];
		bank.server.subscribe((activity) => {
			if (activity.type === 'connection-event' && activity.event.type === 'error')
				serverErrors.push(activity.event.code);
		});
		const path = await startProxy(workspace, {targetPort: bank.port});
		const knownHosts = workspace.path('known_hosts');
		const customerOptions: CustomerOptions = teaching
			? teachingClient(knownHosts, path.port)
			: {port: path.port, knownHostsFile: knownHosts, acceptNew: true};
		await recordSession(customerOptions);
		const recording: ProxiedConnection = path.connections[0]!;
		await recording.closed;
		const serverHello = onlyFrame(recording, 'toClient', FrameType.serverHello, 'ServerHello');
		const {hello, signedEnd} = decodeServerHello(serverHello.body);
		out.line(
			`  setup: bank on ${LOOPBACK}:${bank.port}; the customer banked through ${LOOPBACK}:${path.port} (its known_hosts now holds the bank's key) while the attacker recorded ${recording.frames.length} frames`,
		);
		out.line(
			`  attacker: recorded ServerHello signature (${hello.signature.length} bytes): ${hex(hello.signature, 16)}`,
		);

		let verifiesForFreshRandom: boolean | undefined;
		if (teaching) {
			// A ClientHello the recording never saw: a new client, a new 32-byte random.
			const fresh = new ClientConnection({suites: [TEACHING], allowInsecure: true})
				.start()
				.send[0]!.subarray(FRAME_HEADER_LENGTH);
			const peerKey = hostKeyAlgorithm('textbook-rsa').parse(hello.hostKey);
			verifiesForFreshRandom = peerKey.verify(
				signingInput(sha256(fresh, serverHello.body.subarray(0, signedEnd))),
				hello.signature,
			);
			out.line(
				`  attacker: it is textbook RSA over the fixed sentence "${semanticSignature.SEED_MESSAGE}"; checked against a new ClientHello (random ${hex(fresh.subarray(2, 2 + RANDOM_LENGTH), 8)}):`,
			);
			out.line(
				`    verifies: ${verifiesForFreshRandom ? 'YES: the recorded answer to "prove it" fits every challenge' : 'no'}`,
			);
		}

		// The path now leads to an impersonator that holds no private key at all.
		const impersonator = await startImpersonator(workspace, () => {
			if (!teaching) return serverHello.bytes;
			// New server random for the new client, then the recorded host key and signature.
			const signedPart = encodeServerHelloSigned({
				version: hello.version,
				serverRandom: randomBytes(RANDOM_LENGTH),
				suite: hello.suite,
				keyShare: hello.keyShare,
				hostKeyType: hello.hostKeyType,
				hostKey: hello.hostKey,
			});
			return encodeFrame(
				FrameType.serverHello,
				Buffer.concat([
					signedPart,
					new ByteWriter().vector16(hello.signature).vector8(hello.finished).finish(),
				]),
			);
		});
		path.retarget(impersonator.port);
		out.line(
			teaching
				? '  attacker (impersonator, no private key): answers a new customer connection with a ServerHello carrying the recorded host key and signature'
				: '  attacker (impersonator, no private key): answers a new customer connection with the recorded ServerHello, byte for byte',
		);
		const attempt = await connectCustomer(customerOptions);
		if (attempt.ok) await attempt.close();
		const signatureAccepted = signatureCheck(attempt.events) === true;
		const trust = firstEvent(attempt.events, 'trust');
		const clientError = attempt.ok ? undefined : attempt.error.code;
		const sentFinished = (impersonator.received[0] ?? []).some(
			(frame) => frame.type === FrameType.clientFinished,
		);
		out.line(
			`  customer: signature check ${signatureAccepted ? 'PASSED' : 'FAILED'}${trust ? `; host key ${trust.status.toUpperCase()} (the bank's key)` : ''}${sentFinished ? "; it sent ClientFinished, its secret encrypted to the bank's key" : ''}`,
		);
		out.line(
			`  customer: ended with ${clientError ?? 'an open session'}${attempt.ok ? '' : `: ${attempt.error.message}`}`,
		);
		if (teaching && signatureAccepted) {
			out.line(
				'    (the impersonator passed "prove it" without the key; to finish the key exchange it still needs d, which `lab factor` gets in milliseconds)',
			);
		}

		path.retarget(bank.port);
		const clientFrames = recording.frames.filter(
			(frame) => frame.direction === 'toServer' && frame.type !== FrameType.alert,
		);
		out.line(
			`  attacker: replays the customer's recorded flights to the bank (ClientHello, ClientFinished and ${clientFrames.length - 2} records)`,
		);
		const errorsBefore = serverErrors.length;
		const flightReplay = await replayClientFlights(bank.port, clientFrames);
		const replayErrors = serverErrors.slice(errorsBefore);
		const fresh = flightReplay.serverHello
			? decodeServerHello(flightReplay.serverHello).hello.serverRandom
			: undefined;
		out.line(
			`    bank: answered with a fresh ServerHello (server random ${fresh ? hex(fresh, 8) : '-'}, recorded ${hex(hello.serverRandom, 8)}), so H(CH||SH) and every key differ`,
		);
		out.line(
			`    bank: ${flightReplay.alert ? `alert ${flightReplay.alert.name} "${flightReplay.alert.reason}"` : 'no alert'}; error ${replayErrors.join(', ') || 'none'}; ${flightReplay.recordsFromServer} records back`,
		);
		const replayAccepted = flightReplay.recordsFromServer > 0;
		if (teaching)
			out.line(
				'    (honestly: this fails in the teaching suite too; the textbook secret decrypts, but the Finished MAC over the new transcript does not match)',
			);

		const attackSucceeded = teaching
			? signatureAccepted && verifiesForFreshRandom === true
			: signatureAccepted || replayAccepted;
		const outcome = signatureAccepted
			? "a keyless impersonator's replayed signature was accepted by a fresh client"
			: `the replayed ServerHello failed (${clientError ?? '?'}) and the replayed client flights failed (${replayErrors[0] ?? flightReplay.alert?.name ?? '?'})`;
		outcomeLine(out, which, attackSucceeded, outcome);
		return {
			attackSucceeded,
			outcome,
			signatureAccepted,
			trustStatus: trust?.status,
			clientError,
			flightReplay,
			serverErrors: replayErrors,
			...(verifiesForFreshRandom === undefined ? {} : {verifiesForFreshRandom}),
		};
	});
}
