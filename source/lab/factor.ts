/**
 * Lab scenario `factor`: an eavesdropper records a session, factors the server's public key and
 * reads everything.
 *
 * Teaching suite (INSECURE, 0x7f01): the ServerHello carries a textbook RSA modulus N of 64 bits
 * (the seed's key sizes); recoverPrivateKey (source/crypto/teaching/factoring.ts) factors it in
 * milliseconds, d decrypts ClientFinished.encrypted_secret (textbook RSA, no padding, no label),
 * the protocol's own key schedule (PROTOCOL.md 7.2, key-transport path) turns the secret into the
 * session's S-DES keys, and the recorded records decrypt: the login with its password included.
 *
 * Default suite (0x0001): nothing to factor that would help. The Ed25519 host key only signs; the
 * session key comes from ephemeral X25519 whose private halves never left either end (forward
 * secrecy), so ClientFinished carries no secret at all. And the one RSA key the default server does
 * have (RSA-3072, suite 0x0003) is handed to the same factoring code with a 1 s limit: it gives up.
 */
import {DEFAULT_SUITE_IDS, suiteById} from '../crypto/suites.js';
import {rsaPublicKeyFromSpki} from '../crypto/primitives.js';
import {textbookRsa, type RecoveryResult} from '../crypto/teaching/index.js';
import {
	decodeClientFinished,
	decodeClientHello,
	decodeServerHello,
	FrameType,
} from '../protocol/codec.js';
import {hostKeyAlgorithm, hostKeyTypeByCode} from '../protocol/host-key-algorithms.js';
import {InnerType} from '../protocol/records.js';
import {
	hex,
	milliseconds,
	outcomeLine,
	printable,
	sectionHeading,
	shortFingerprint,
	type LabOutput,
} from './output.js';
import {framesOf, onlyFrame, startProxy, type ProxiedConnection} from './proxy.js';
import type {ScenarioResult, SideResult} from './scenario.js';
import {
	decryptTeachingRecord,
	decryptTeachingSecret,
	clientFinishedMac,
	formatSdesKey,
	keyTransportSchedule,
	teachingKeyOfServerHello,
} from './teaching-keys.js';
import {
	bankAsUsual,
	CUSTOMER_PASSWORD,
	mustConnectCustomer,
	openAccount,
	startLabBank,
	TEACHING,
	teachingClient,
	withWorkspace,
	LOOPBACK,
} from './workspace.js';

export type FactorOptions = {
	/** Bits of the teaching modulus N (default 64, as the seed). */
	readonly bits?: number;
	/** How long recoverPrivateKey may try on the teaching N (default 60 s). */
	readonly timeLimitMs?: number;
	/** How long it may try on the real RSA-3072 N (default 1 s). */
	readonly realKeyTimeLimitMs?: number;
};

export type FactorTeachingResult = SideResult & {
	readonly n: bigint;
	readonly e: bigint;
	readonly recovery: RecoveryResult;
	/** The recomputed client Finished equals the recorded one: the derived keys are the session's. */
	readonly finishedMatches: boolean;
	/** What the customer sent, decrypted from the recording. */
	readonly customerRequests: readonly string[];
	readonly bankResponses: readonly string[];
};

export type FactorDefaultResult = SideResult & {
	readonly suiteName: string;
	readonly hostKeyType: string;
	readonly encryptedSecretLength: number;
	readonly realModulusBits: number;
	readonly realKeyRecovery: RecoveryResult;
};

export type FactorResult = ScenarioResult<FactorTeachingResult, FactorDefaultResult>;

const DEPOSIT_CENTS = 1250;

export async function runFactor(
	out: LabOutput,
	options: FactorOptions = {},
): Promise<FactorResult> {
	const teaching = await teachingSide(out, options);
	const secure = await defaultSide(out, options);
	return {
		teaching,
		default: secure,
		lesson:
			'Key size and key exchange are the security: a 64-bit textbook RSA key is factored in milliseconds and opens every recorded session, while ephemeral X25519 leaves nothing in a recording to attack (forward secrecy) and RSA-3072 is out of reach of the same code.',
	};
}

function recordedSummary(connection: ProxiedConnection): string {
	const count = (direction: 'toServer' | 'toClient') =>
		framesOf(connection, direction, FrameType.record).length;
	const handshake = connection.frames.filter(
		(frame) => frame.type !== FrameType.record && frame.type !== FrameType.alert,
	).length;
	return `${handshake} handshake frames, ${count('toServer')} records customer->bank, ${count('toClient')} records bank->customer`;
}

async function teachingSide(out: LabOutput, options: FactorOptions): Promise<FactorTeachingResult> {
	sectionHeading(out, 'teaching', `0x7f01 ${suiteById(TEACHING)!.name}`);
	return withWorkspace(async (workspace) => {
		const bank = await startLabBank(workspace, 'bank', {
			suites: [TEACHING],
			...(options.bits ? {teachingBits: options.bits} : {}),
		});
		await openAccount(bank);
		const tap = await startProxy(workspace, {targetPort: bank.port});
		out.line(
			`  setup: the bank listens on ${LOOPBACK}:${bank.port} (${bank.describe()}); the customer reaches it through ${LOOPBACK}:${tap.port}, where the eavesdropper records every frame`,
		);
		const customer = await mustConnectCustomer(
			teachingClient(workspace.path('known_hosts'), tap.port),
		);
		await bankAsUsual(customer, DEPOSIT_CENTS);
		await customer.close();
		out.line('  customer: logged in, deposited 12.50, asked the balance, closed');

		const recording = tap.connections[0]!;
		await recording.closed;
		const clientHello = onlyFrame(recording, 'toServer', FrameType.clientHello, 'ClientHello').body;
		const serverHello = onlyFrame(recording, 'toClient', FrameType.serverHello, 'ServerHello').body;
		const clientFinished = onlyFrame(
			recording,
			'toServer',
			FrameType.clientFinished,
			'ClientFinished',
		).body;
		out.line(`  eavesdropper: recorded ${recordedSummary(recording)}`);
		const {n, e} = teachingKeyOfServerHello(serverHello);
		out.line(
			`  eavesdropper: the ServerHello's host key is textbook RSA: N = ${n} (${textbookRsa.bitLength(n)} bits), e = ${e}`,
		);
		const recovery = textbookRsa.recoverPrivateKey(e, n, {
			timeLimitMs: options.timeLimitMs ?? 60_000,
		});
		const base = {n, e, recovery, finishedMatches: false, customerRequests: [], bankResponses: []};
		if (!recovery.recovered) {
			out.line(
				`  eavesdropper: recoverPrivateKey gave up after ${milliseconds(recovery.elapsedMs)} (${recovery.reason}, ${recovery.iterations} iterations)`,
			);
			const outcome = `N of ${textbookRsa.bitLength(n)} bits did not factor within the limit`;
			outcomeLine(out, 'teaching', false, outcome);
			return {...base, attackSucceeded: false, outcome};
		}

		out.line(
			`  eavesdropper: recoverPrivateKey factored N in ${milliseconds(recovery.elapsedMs)} (${recovery.method}, ${recovery.iterations} iterations):`,
		);
		out.line(`    p = ${recovery.p}`);
		out.line(`    q = ${recovery.q}`);
		out.line(`    d = ${recovery.d}   (e^-1 mod (p-1)(q-1): the server's private key)`);
		const {encryptedSecret, finished} = decodeClientFinished(clientFinished);
		const secret = decryptTeachingSecret(encryptedSecret, {n, d: recovery.d});
		out.line(
			`  eavesdropper: ClientFinished.encrypted_secret (${encryptedSecret.length} bytes) ^ d mod N = the client's secret ${hex(secret, 32)}`,
		);
		const keys = keyTransportSchedule(secret, clientHello, serverHello, clientFinished);
		const finishedMatches = clientFinishedMac(
			keys.handshake,
			clientHello,
			serverHello,
			clientFinished,
		).equals(finished);
		out.line(
			'  eavesdropper: key schedule (PROTOCOL.md 7.2): handshakeSecrets(secret, H(CH||SH)), applicationSecrets(handshake, H(CH||SH||CF)), trafficKeys',
		);
		out.line(
			`    check: the client Finished MAC recomputed with these keys ${finishedMatches ? 'equals' : 'DIFFERS from'} the recorded one`,
		);
		out.line(
			`    S-DES key customer->bank ${formatSdesKey(keys.customerToBank)}, bank->customer ${formatSdesKey(keys.bankToCustomer)}`,
		);
		const decrypt = (direction: 'toServer' | 'toClient', key: number) =>
			framesOf(recording, direction, FrameType.record)
				.map((frame) => ({frame, opened: decryptTeachingRecord(frame.body, key)}))
				.filter(({opened}) => opened.contentType === InnerType.applicationData);
		const requests = decrypt('toServer', keys.customerToBank);
		const responses = decrypt('toClient', keys.bankToCustomer);
		out.line('  eavesdropper: the recorded records, decrypted:');
		for (const [index, {frame, opened}] of requests.entries()) {
			out.line(
				`    customer->bank  ${String(frame.bytes.length).padStart(3)} bytes ${hex(frame.bytes, 8)}  =>  ${printable(opened.content)}`,
			);
			const response = responses[index];
			if (response)
				out.line(
					`    bank->customer  ${String(response.frame.bytes.length).padStart(3)} bytes ${hex(response.frame.bytes, 8)}  =>  ${printable(response.opened.content)}`,
				);
		}

		const customerRequests = requests.map(({opened}) => opened.content.toString('utf8'));
		const passwordRead = customerRequests.some((text) => text.includes(CUSTOMER_PASSWORD));
		const attackSucceeded = finishedMatches && passwordRead;
		const outcome = attackSucceeded
			? `N factored in ${milliseconds(recovery.elapsedMs)}; the whole recorded session decrypted, password "${CUSTOMER_PASSWORD}" included`
			: 'the derived keys did not open the recording';
		outcomeLine(out, 'teaching', attackSucceeded, outcome);
		return {
			...base,
			attackSucceeded,
			outcome,
			finishedMatches,
			customerRequests,
			bankResponses: responses.map(({opened}) => opened.content.toString('utf8')),
		};
	});
}

/** The modulus n and exponent e of an RSA SPKI DER public key (its JWK export holds them). */
function rsaPublicNumbers(spki: Buffer): {n: bigint; e: bigint} {
	const jwk = rsaPublicKeyFromSpki(spki).export({format: 'jwk'});
	const integer = (field: string | undefined) =>
		BigInt(`0x${Buffer.from(field ?? '', 'base64url').toString('hex')}`);
	return {n: integer(jwk.n), e: integer(jwk.e)};
}

async function defaultSide(out: LabOutput, options: FactorOptions): Promise<FactorDefaultResult> {
	sectionHeading(out, 'default', `0x0001 ${suiteById(DEFAULT_SUITE_IDS[0]!)!.name}`);
	return withWorkspace(async (workspace) => {
		const bank = await startLabBank(workspace, 'bank', {suites: DEFAULT_SUITE_IDS});
		await openAccount(bank);
		const tap = await startProxy(workspace, {targetPort: bank.port});
		out.line(
			`  setup: the bank listens on ${LOOPBACK}:${bank.port} (${bank.describe()}); the same tap at ${LOOPBACK}:${tap.port}`,
		);
		const customer = await mustConnectCustomer({
			port: tap.port,
			knownHostsFile: workspace.path('known_hosts'),
			acceptNew: true,
		});
		await bankAsUsual(customer, DEPOSIT_CENTS);
		await customer.close();
		out.line('  customer: logged in, deposited 12.50, asked the balance, closed');

		const recording = tap.connections[0]!;
		await recording.closed;
		const clientHello = onlyFrame(recording, 'toServer', FrameType.clientHello, 'ClientHello').body;
		const {hello} = decodeServerHello(
			onlyFrame(recording, 'toClient', FrameType.serverHello, 'ServerHello').body,
		);
		const {encryptedSecret} = decodeClientFinished(
			onlyFrame(recording, 'toServer', FrameType.clientFinished, 'ClientFinished').body,
		);
		const suite = suiteById(hello.suite);
		const hostKeyType = hostKeyTypeByCode(hello.hostKeyType) ?? `code ${hello.hostKeyType}`;
		const clientShare = decodeClientHello(clientHello).keyShare;
		out.line(`  eavesdropper: recorded ${recordedSummary(recording)}`);
		out.line(
			`  eavesdropper: suite ${suite?.name ?? hello.suite}; host key ${hostKeyType} (${hello.hostKey.length} bytes, ${shortFingerprint(hostKeyAlgorithm('ed25519').parse(hello.hostKey).fingerprint)})`,
		);
		out.line(
			'    Ed25519 is a signature key: there is no N to factor, and nothing is ever encrypted to it.',
		);
		out.line(
			`  eavesdropper: ClientFinished.encrypted_secret is ${encryptedSecret.length} bytes: no secret crossed the wire.`,
		);
		out.line(
			`    The key came from X25519 between ephemeral keys; only their public halves are recorded (client ${hex(clientShare, 8)}, server ${hex(hello.keyShare, 8)}).`,
		);
		out.line(
			"    Both private halves were generated for this handshake and discarded: even the bank's host private key (it sits in the",
		);
		out.line("    bank's data folder) would not decrypt this recording. That is forward secrecy.");
		const spki = bank.hostKey('rsa-3072').publicKeyBytes;
		const {n, e} = rsaPublicNumbers(spki);
		const limit = options.realKeyTimeLimitMs ?? 1000;
		out.line(
			`  eavesdropper: and the bank's RSA-3072 host key (suite 0x0003, no forward secrecy)? recoverPrivateKey on its real N (${textbookRsa.bitLength(n)} bits, ${n.toString().slice(0, 24)}...) with a ${limit} ms limit:`,
		);
		const realKeyRecovery = textbookRsa.recoverPrivateKey(e, n, {timeLimitMs: limit});
		out.line(
			realKeyRecovery.recovered
				? `    factored?! p = ${realKeyRecovery.p}`
				: `    gave up after ${milliseconds(realKeyRecovery.elapsedMs)}: ${realKeyRecovery.reason} (${realKeyRecovery.iterations} iterations; rho needs about 2^768 for a 1536-bit factor)`,
		);
		const attackSucceeded = realKeyRecovery.recovered;
		const outcome = attackSucceeded
			? 'an RSA-3072 key was factored'
			: 'no secret in the recording to decrypt, and the 3072-bit N did not factor';
		outcomeLine(out, 'default', attackSucceeded, outcome);
		return {
			attackSucceeded,
			outcome,
			suiteName: suite?.name ?? String(hello.suite),
			hostKeyType,
			encryptedSecretLength: encryptedSecret.length,
			realModulusBits: textbookRsa.bitLength(n),
			realKeyRecovery,
		};
	});
}
