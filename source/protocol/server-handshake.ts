/**
 * The server's handshake machine ("Bob"). PROTOCOL.md section 5 gives the flights; this side:
 *
 *   ← ClientHello     check version, pick the first offered suite we allow, check the key share
 *   → ServerHello     server random, key share, host key, signature over the transcript,
 *                     Finished (X25519 suites; in key-transport suites it cannot exist yet)
 *   ← ClientFinished  [decrypt the secret,] check the client's Finished
 *   → ServerFinished  key-transport suites only
 */
import {
	constantTimeEqual,
	hmacSha256,
	sha256,
	wipe,
	x25519GenerateKeyPair,
	x25519SharedSecret,
} from '../crypto/primitives.js';
import {DEFAULT_SUITE_IDS, formatSuiteId, suiteById, type Suite} from '../crypto/suites.js';
import {
	decodeClientFinished,
	decodeClientHello,
	encodeFrame,
	encodeServerFinished,
	encodeServerHelloSigned,
	FrameType,
	frameTypeNames,
	PROTOCOL_VERSION,
	RANDOM_LENGTH,
	X25519_SHARE_LENGTH,
	type ClientHello,
	type Frame,
	ByteWriter,
} from './codec.js';
import {Connection, summarizeSuite, type ConnectionOptions} from './connection.js';
import {
	BadFinishedError,
	DecryptError,
	NoCommonSuiteError,
	PeerMisbehavedError,
	ProtocolVersionError,
	UnexpectedMessageError,
	type HandshakeStage,
} from './errors.js';
import {fullHex} from './events.js';
import {
	hostKeyAlgorithm,
	secretLabel,
	signingInput,
	type LocalHostKey,
} from './host-key-algorithms.js';
import {
	applicationSecrets,
	handshakeSecrets,
	type ApplicationSecrets,
	type HandshakeSecrets,
} from './key-schedule.js';
import {recordCipher, RecordReceiver, RecordSender} from './records.js';
import {
	describeClientFinished,
	describeClientHello,
	describeServerFinished,
	describeServerHello,
} from './describe.js';

export type ServerOptions = ConnectionOptions & {
	/** The host keys, at most one per type: Ed25519 for X25519 suites, RSA-3072 for the RSA suite. */
	readonly hostKeys: readonly LocalHostKey[];
	/** Suites this server allows (default: the three secure suites). */
	readonly suites?: readonly number[];
	/** Allow insecure teaching suites (`--insecure-teaching`). */
	readonly allowInsecure?: boolean;
};

type ServerPhase = 'wait-client-hello' | 'wait-client-finished' | 'open';

export class ServerConnection extends Connection {
	readonly role = 'server';
	protected stage: HandshakeStage = 'ClientHello';
	private phase: ServerPhase = 'wait-client-hello';
	private readonly allowed: readonly Suite[];
	private readonly hostKeys: ReadonlyMap<string, LocalHostKey>;
	private readonly transcript: Buffer[] = [];
	private chosen: Suite | undefined;
	private hostKey: LocalHostKey | undefined;
	private secrets: HandshakeSecrets | undefined;
	private transcriptThroughServerHello: Buffer | undefined;

	constructor(options: ServerOptions) {
		super(options);
		this.hostKeys = new Map(options.hostKeys.map((key) => [key.type, key]));
		const allowed: Suite[] = [];
		for (const id of options.suites ?? DEFAULT_SUITE_IDS) {
			const suite = suiteById(id);
			if (!suite) throw new RangeError(`unknown suite ${formatSuiteId(id)}`);
			if (suite.insecure && !options.allowInsecure) {
				throw new RangeError(
					`suite ${suite.name} is INSECURE and may only be allowed with allowInsecure`,
				);
			}

			if (!this.hostKeys.has(suite.hostKey))
				throw new RangeError(`suite ${suite.name} needs a ${suite.hostKey} host key`);
			allowed.push(suite);
		}

		this.allowed = allowed;
	}

	get suite(): Suite | undefined {
		return this.chosen;
	}

	protected expectedDuringHandshake(): string {
		return this.phase === 'wait-client-hello'
			? 'ClientHello'
			: this.phase === 'wait-client-finished'
				? 'ClientFinished'
				: 'nothing';
	}

	protected handleHandshakeFrame(frame: Frame): void {
		if (this.phase === 'wait-client-hello' && frame.type === FrameType.clientHello) {
			this.receiveClientHello(frame.body);
			return;
		}

		if (this.phase === 'wait-client-finished' && frame.type === FrameType.clientFinished) {
			this.receiveClientFinished(frame.body);
			return;
		}

		throw new UnexpectedMessageError(
			this.stage,
			this.expectedDuringHandshake(),
			frameTypeNames[frame.type],
		);
	}

	/** ClientHello: "hello" + "prove it". */
	private receiveClientHello(body: Buffer): void {
		const hello = decodeClientHello(body);
		if (this.observed) {
			const insecureOffer = hello.suites.some((id) => suiteById(id)?.insecure);
			this.emit(describeClientHello('server', 'received', hello, body.length + 3, insecureOffer));
		}

		this.checkVersion('ClientHello', 'client', hello.version);

		const suite = this.chooseSuite(hello);
		this.chosen = suite;
		if (suite.insecure) this.markInsecure();
		this.stage = 'ServerHello';
		if (this.observed) {
			this.emit({
				type: 'suite',
				role: 'server',
				suite: summarizeSuite(suite),
				offered: hello.suites.map((id) => suiteById(id)?.name ?? formatSuiteId(id)),
			});
		}

		const hostKey = this.hostKeys.get(suite.hostKey)!;
		this.hostKey = hostKey;
		if (this.observed) {
			this.emit({
				type: 'host-key',
				role: 'server',
				keyType: hostKey.type,
				fingerprint: hostKey.fingerprint,
				publicKey: fullHex(hostKey.publicKeyBytes),
			});
		}

		let keyShare: Buffer = Buffer.alloc(0);
		let shared: Buffer | undefined;
		if (suite.keyExchange === 'x25519') {
			const shareOk = hello.keyShare.length === X25519_SHARE_LENGTH;
			if (this.observed) {
				this.check(
					'ClientHello',
					'client key share',
					shareOk,
					`${hello.keyShare.length}-byte X25519 public key`,
				);
			}

			if (!shareOk)
				throw new PeerMisbehavedError(
					'ClientHello',
					'an X25519 suite was offered without a key share',
				);
			const ephemeral = x25519GenerateKeyPair();
			keyShare = ephemeral.publicKey;
			if (this.observed) {
				this.emit({
					type: 'ephemeral-key',
					role: 'server',
					owner: 'client',
					publicKey: fullHex(hello.keyShare),
				});
				this.emit({
					type: 'ephemeral-key',
					role: 'server',
					owner: 'server',
					publicKey: fullHex(keyShare),
				});
			}

			try {
				shared = x25519SharedSecret(ephemeral.privateKey, hello.keyShare);
			} catch (error) {
				this.check(
					'ClientHello',
					'X25519 shared secret not all zero',
					false,
					(error as Error).message,
				);
				throw new PeerMisbehavedError('ClientHello', (error as Error).message);
			}

			if (this.observed) {
				this.check(
					'ClientHello',
					'X25519 shared secret not all zero',
					true,
					'the client key share is not a low-order point',
				);
			}

			this.keyEvent('X25519 shared secret', shared);
		}

		this.transcript.push(body);
		const signedPart = encodeServerHelloSigned({
			version: PROTOCOL_VERSION,
			serverRandom: this.random(RANDOM_LENGTH),
			suite: suite.id,
			keyShare,
			hostKeyType: hostKeyAlgorithm(suite.hostKey).code,
			hostKey: hostKey.publicKeyBytes,
		});
		const signedHash = sha256(...this.transcript, signedPart);
		if (this.observed) {
			this.emit({
				type: 'transcript',
				role: 'server',
				label: 'ClientHello..host key (signed)',
				hash: fullHex(signedHash),
			});
		}

		const signature = hostKey.sign(signingInput(signedHash));
		const throughSignature = Buffer.concat([
			signedPart,
			new ByteWriter().vector16(signature).finish(),
		]);

		let finished: Buffer = Buffer.alloc(0);
		if (shared) {
			const secrets = handshakeSecrets(shared, signedHash);
			wipe(shared);
			this.secrets = secrets;
			this.emitHandshakeKeys(secrets);
			finished = hmacSha256(
				secrets.serverFinishedKey,
				sha256(...this.transcript, throughSignature),
			);
		}

		const serverHello = Buffer.concat([
			throughSignature,
			new ByteWriter().vector8(finished).finish(),
		]);
		this.transcript.push(serverHello);
		this.transcriptThroughServerHello = sha256(...this.transcript);
		this.write(encodeFrame(FrameType.serverHello, serverHello));
		if (this.observed) {
			this.emit(
				describeServerHello(
					'server',
					'sent',
					{
						version: PROTOCOL_VERSION,
						serverRandom: signedPart.subarray(2, 2 + RANDOM_LENGTH),
						suite: suite.id,
						keyShare,
						hostKeyType: hostKeyAlgorithm(suite.hostKey).code,
						hostKey: hostKey.publicKeyBytes,
						signature,
						finished,
					},
					serverHello.length + 3,
					suite,
				),
			);
		}

		this.phase = 'wait-client-finished';
		this.stage = 'ClientFinished';
	}

	/** The first of the client's offers that this server allows; never a fallback to insecure. */
	private chooseSuite(hello: ClientHello): Suite {
		for (const id of hello.suites) {
			const suite = this.allowed.find((allowed) => allowed.id === id);
			if (suite) {
				if (this.observed) {
					this.check(
						'ClientHello',
						'suite negotiation',
						true,
						`chose ${suite.name}${suite.forwardSecrecy ? '' : ' (no forward secrecy)'}${suite.insecure ? ' (INSECURE teaching suite)' : ''}`,
					);
				}

				return suite;
			}
		}

		const offered = hello.suites.map((id) => suiteById(id)?.name ?? formatSuiteId(id)).join(', ');
		const allowed = this.allowed.map((suite) => suite.name).join(', ');
		this.check(
			'ClientHello',
			'suite negotiation',
			false,
			`no common suite: client offered ${offered}; server allows ${allowed}`,
		);
		throw new NoCommonSuiteError(
			'ClientHello',
			`no common suite: client offered ${offered}; server allows ${allowed}`,
		);
	}

	/** ClientFinished: "ok Bob, here is a secret". */
	private receiveClientFinished(body: Buffer): void {
		const suite = this.chosen!;
		const message = decodeClientFinished(body);
		if (this.observed) {
			this.emit(describeClientFinished('server', 'received', message, body.length + 3, suite));
		}

		if (suite.keyExchange === 'x25519') {
			if (message.encryptedSecret.length > 0)
				throw new PeerMisbehavedError(
					'ClientFinished',
					'an X25519 suite carries no encrypted secret',
				);
		} else {
			const decrypt = this.hostKey!.decryptSecret;
			let secret: Buffer;
			try {
				secret = decrypt!(message.encryptedSecret, secretLabel(this.transcriptThroughServerHello!));
			} catch {
				this.check(
					'ClientFinished',
					'secret decrypts under the host key',
					false,
					'decryption failed',
				);
				throw new DecryptError(
					'ClientFinished',
					'the encrypted secret does not decrypt under the host key',
				);
			}

			const lengthOk = secret.length === 32;
			this.check(
				'ClientFinished',
				'secret decrypts under the host key',
				lengthOk,
				lengthOk
					? `${secret.length}-byte secret recovered`
					: `secret of ${secret.length} bytes, expected 32`,
			);
			if (!lengthOk)
				throw new PeerMisbehavedError(
					'ClientFinished',
					`secret of ${secret.length} bytes, expected 32`,
				);
			this.keyEvent('client-chosen secret', secret);
			this.secrets = handshakeSecrets(secret, this.transcriptThroughServerHello!);
			wipe(secret);
			this.emitHandshakeKeys(this.secrets);
		}

		const secrets = this.secrets!;
		const expected = hmacSha256(
			secrets.clientFinishedKey,
			sha256(...this.transcript, body.subarray(0, message.secretEnd)),
		);
		const ok = constantTimeEqual(expected, message.finished);
		if (this.observed || !ok) {
			this.check(
				'ClientFinished',
				'client Finished MAC',
				ok,
				ok ? 'Alice holds the same secret: the channel is keyed' : 'Finished MAC does not match',
			);
		}

		if (!ok) throw new BadFinishedError('ClientFinished', 'client Finished MAC does not match');
		this.transcript.push(body);

		const cipher = recordCipher(suite.recordCipher);
		let application: ApplicationSecrets;
		if (suite.keyExchange === 'x25519') {
			application = applicationSecrets(secrets.handshakeSecret, this.transcriptThroughServerHello!);
		} else {
			application = applicationSecrets(secrets.handshakeSecret, sha256(...this.transcript));
			const finished = hmacSha256(secrets.serverFinishedKey, sha256(...this.transcript));
			const serverFinished = encodeServerFinished(finished);
			this.stage = 'ServerFinished';
			this.write(encodeFrame(FrameType.serverFinished, serverFinished));
			this.emit(
				describeServerFinished('server', 'sent', finished, serverFinished.length + 3, suite),
			);
		}

		this.keyEvent('client application traffic secret', application.clientApplicationTraffic);
		this.keyEvent('server application traffic secret', application.serverApplicationTraffic);
		this.installReceiver(
			new RecordReceiver(cipher, application.clientApplicationTraffic, this.limits),
		);
		this.installSender(new RecordSender(cipher, application.serverApplicationTraffic, this.limits));
		this.phase = 'open';
		this.markOpen();
		this.emit({
			type: 'handshake-complete',
			role: 'server',
			suite: summarizeSuite(suite),
			hostKeyFingerprint: this.hostKey!.fingerprint,
			forwardSecrecy: suite.forwardSecrecy,
			insecure: suite.insecure,
		});
	}
}
