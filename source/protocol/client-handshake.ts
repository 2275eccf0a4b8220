/**
 * The client's handshake machine ("Alice"). PROTOCOL.md section 5 gives the flights:
 *
 *   A→B ClientHello      "hello" + "prove it"      version, client random (the challenge), suites, key share
 *   B→A ServerHello      "Hi, I'm Bob" + "Alice, this is Bob"   host key, signature over the transcript
 *   (pause: the host key must be trusted: known_hosts, a pinned fingerprint or the user)
 *   A→B ClientFinished   "here is a secret"        [RSA: secret under OAEP] + Finished MAC
 *   B→A ServerFinished   (key-transport suites only, CLARIFICATIONS.md 1)
 */
import {
	constantTimeEqual,
	hmacSha256,
	sha256,
	wipe,
	x25519GenerateKeyPair,
	x25519SharedSecret,
	type X25519KeyPair,
} from '../crypto/primitives.js';
import {DEFAULT_SUITE_IDS, formatSuiteId, suiteById, type Suite} from '../crypto/suites.js';
import {
	decodeServerFinished,
	decodeServerHello,
	encodeClientFinished,
	encodeClientHello,
	encodeFrame,
	FrameType,
	frameTypeNames,
	PROTOCOL_VERSION,
	RANDOM_LENGTH,
	X25519_SHARE_LENGTH,
	type Frame,
	type ServerHello,
} from './codec.js';
import {Connection, summarizeSuite, type ConnectionOptions, type Output} from './connection.js';
import {
	BadFinishedError,
	BadSignatureError,
	HostKeyRejectedError,
	PeerMisbehavedError,
	ProtocolVersionError,
	UnexpectedMessageError,
	type HandshakeStage,
} from './errors.js';
import {fullHex} from './events.js';
import {
	hostKeyAlgorithm,
	hostKeyTypeByCode,
	secretLabel,
	signingInput,
	type PeerHostKey,
} from './host-key-algorithms.js';
import {applicationSecrets, handshakeSecrets, type HandshakeSecrets} from './key-schedule.js';
import {recordCipher, RecordReceiver, RecordSender} from './records.js';
import {
	describeClientHello,
	describeClientFinished,
	describeServerFinished,
	describeServerHello,
} from './describe.js';

export type ClientOptions = ConnectionOptions & {
	/** Suites to offer, in preference order (default: the three secure suites). */
	readonly suites?: readonly number[];
	/** Allow offering insecure teaching suites (`--insecure-teaching`). */
	readonly allowInsecure?: boolean;
};

type ClientPhase = 'start' | 'wait-server-hello' | 'wait-trust' | 'wait-server-finished' | 'open';

const SECRET_LENGTH = 32;

export class ClientConnection extends Connection {
	readonly role = 'client';
	protected stage: HandshakeStage = 'ClientHello';
	private phase: ClientPhase = 'start';
	private readonly offered: readonly Suite[];
	private ephemeral: X25519KeyPair | undefined;
	private readonly transcript: Buffer[] = [];
	private chosen: Suite | undefined;
	private peerHostKey: PeerHostKey | undefined;
	private secrets: HandshakeSecrets | undefined;
	private transcriptThroughServerHello: Buffer | undefined;

	constructor(options: ClientOptions = {}) {
		super(options);
		const ids = options.suites ?? DEFAULT_SUITE_IDS;
		const offered: Suite[] = [];
		for (const id of ids) {
			const suite = suiteById(id);
			if (!suite) throw new RangeError(`unknown suite ${formatSuiteId(id)}`);
			if (suite.insecure && !options.allowInsecure) {
				throw new RangeError(
					`suite ${suite.name} is INSECURE and may only be offered with allowInsecure`,
				);
			}

			offered.push(suite);
		}

		if (offered.length === 0) throw new RangeError('at least one suite must be offered');
		this.offered = offered;
		// Until the server picks, a session that offers a teaching suite may become one.
		if (offered.some((suite) => suite.insecure)) this.markInsecure();
	}

	/** The negotiated suite, once ServerHello arrived. */
	get suite(): Suite | undefined {
		return this.chosen;
	}

	get hostKey(): PeerHostKey | undefined {
		return this.peerHostKey;
	}

	get awaitingTrust(): boolean {
		return this.phase === 'wait-trust';
	}

	/** Builds and sends ClientHello ("hello" + "prove it"). */
	start(): Output {
		// A client closed before it started (close(), abort()) must stay silent.
		if (this.phase !== 'start' || this.isClosed()) return this.flush();
		this.guard(() => {
			const clientRandom = this.random(RANDOM_LENGTH);
			const wantsShare = this.offered.some((suite) => suite.keyExchange === 'x25519');
			if (wantsShare) {
				this.ephemeral = x25519GenerateKeyPair();
				if (this.observed) {
					this.emit({
						type: 'ephemeral-key',
						role: 'client',
						owner: 'client',
						publicKey: fullHex(this.ephemeral.publicKey),
					});
				}
			}

			const hello = {
				version: PROTOCOL_VERSION,
				clientRandom,
				suites: this.offered.map((suite) => suite.id),
				keyShare: this.ephemeral?.publicKey ?? Buffer.alloc(0),
			};
			const body = encodeClientHello(hello);
			this.transcript.push(body);
			this.write(encodeFrame(FrameType.clientHello, body));
			if (this.observed) {
				this.emit(
					describeClientHello(
						'client',
						'sent',
						hello,
						body.length + 3,
						this.offered.some((suite) => suite.insecure),
					),
				);
			}

			this.phase = 'wait-server-hello';
			this.stage = 'ServerHello';
		});
		return this.flush();
	}

	/**
	 * The trust decision on the host key (known_hosts, a pinned fingerprint, the user's answer).
	 * Accepting sends ClientFinished ("here is a secret"); refusing sends an alert and closes.
	 */
	decideTrust(accept: boolean, reason = 'host key not trusted'): Output {
		// The connection may have closed while the decision was pending (an alert, garbage, a timeout,
		// close()): a late "yes" must not send ClientFinished and reopen it.
		if (this.phase !== 'wait-trust' || this.isClosed()) return this.flush();
		if (!accept) {
			this.fail(new HostKeyRejectedError('trust', reason));
			return this.flush();
		}

		this.guard(() => this.sendClientFinished());
		return this.flush();
	}

	protected expectedDuringHandshake(): string {
		switch (this.phase) {
			case 'wait-server-hello': {
				return 'ServerHello';
			}

			case 'wait-trust': {
				return 'nothing until the host key is trusted';
			}

			case 'wait-server-finished': {
				return 'ServerFinished';
			}

			default: {
				return 'nothing';
			}
		}
	}

	protected handleHandshakeFrame(frame: Frame): void {
		if (this.phase === 'wait-server-hello' && frame.type === FrameType.serverHello) {
			this.receiveServerHello(frame.body);
			return;
		}

		if (this.phase === 'wait-server-finished' && frame.type === FrameType.serverFinished) {
			this.receiveServerFinished(frame.body);
			return;
		}

		throw new UnexpectedMessageError(
			this.stage,
			this.expectedDuringHandshake(),
			frameTypeNames[frame.type],
		);
	}

	// -------------------------------------------------------------------------------------------

	/** ServerHello: "Hi, I'm Bob" + Bob's public key + "Alice, this is Bob" + signature. */
	private receiveServerHello(body: Buffer): void {
		const {hello, signedEnd, signatureEnd} = decodeServerHello(body);
		const suite = suiteById(hello.suite);
		if (this.observed) {
			this.emit(describeServerHello('client', 'received', hello, body.length + 3, suite));
		}

		this.checkVersion('ServerHello', 'server', hello.version);

		const offered = suite !== undefined && this.offered.includes(suite);
		this.check(
			'ServerHello',
			'suite was offered',
			offered,
			offered
				? `${suite.name} is one of our ${this.offered.length} offers`
				: `server chose ${formatSuiteId(hello.suite)}, which we did not offer`,
		);
		if (!offered)
			throw new PeerMisbehavedError(
				'ServerHello',
				`server chose suite ${formatSuiteId(hello.suite)}, which was not offered`,
			);
		this.chosen = suite;
		this.markInsecure(suite.insecure);
		if (this.observed) {
			this.emit({
				type: 'suite',
				role: 'client',
				suite: summarizeSuite(suite),
				offered: this.offered.map((offer) => offer.name),
			});
		}

		const hostKeyType = hostKeyTypeByCode(hello.hostKeyType);
		const typeOk = hostKeyType === suite.hostKey;
		this.check(
			'ServerHello',
			'host key type matches suite',
			typeOk,
			`suite needs ${suite.hostKey}, server sent ${hostKeyType ?? `code ${hello.hostKeyType}`}`,
		);
		if (!typeOk)
			throw new PeerMisbehavedError(
				'ServerHello',
				`host key type ${hello.hostKeyType} does not match suite ${suite.name}`,
			);
		let hostKey: PeerHostKey;
		try {
			hostKey = hostKeyAlgorithm(suite.hostKey).parse(hello.hostKey);
		} catch (error) {
			this.check('ServerHello', 'host key well formed', false, (error as Error).message);
			throw new PeerMisbehavedError(
				'ServerHello',
				`malformed host key: ${(error as Error).message}`,
			);
		}

		this.peerHostKey = hostKey;
		if (this.observed) {
			this.emit({
				type: 'host-key',
				role: 'client',
				keyType: hostKey.type,
				fingerprint: hostKey.fingerprint,
				publicKey: fullHex(hostKey.publicKeyBytes),
			});
		}

		const shared = this.agreeOnSecret(suite, hello);

		// "Alice, this is Bob": the signature covers our fresh random, so it cannot be a replay.
		const signedHash = sha256(...this.transcript, body.subarray(0, signedEnd));
		if (this.observed) {
			this.emit({
				type: 'transcript',
				role: 'client',
				label: 'ClientHello..host key (signed)',
				hash: fullHex(signedHash),
			});
		}

		const signatureOk = hostKey.verify(signingInput(signedHash), hello.signature);
		this.check(
			'ServerHello',
			'host key signature over transcript',
			signatureOk,
			signatureOk
				? `${hostKey.type} signature valid: Bob holds the private key and answered our challenge`
				: 'signature does not verify: the host key, the transcript or the offer was changed in transit',
		);
		if (!signatureOk)
			throw new BadSignatureError(
				'ServerHello',
				`bad ${hostKey.type} signature over the transcript`,
			);

		this.transcript.push(body);
		if (shared) {
			const secrets = handshakeSecrets(shared, signedHash);
			wipe(shared);
			this.secrets = secrets;
			this.emitHandshakeKeys(secrets);
			const expected = hmacSha256(
				secrets.serverFinishedKey,
				sha256(...this.transcript.slice(0, -1), body.subarray(0, signatureEnd)),
			);
			const finishedOk = constantTimeEqual(expected, hello.finished);
			this.check(
				'ServerHello',
				'server Finished MAC',
				finishedOk,
				finishedOk
					? 'Bob derived the same keys from the key exchange'
					: 'Finished MAC does not match',
			);
			if (!finishedOk)
				throw new BadFinishedError('ServerHello', 'server Finished MAC does not match');
		} else if (hello.finished.length > 0) {
			throw new PeerMisbehavedError(
				'ServerHello',
				'a key-transport ServerHello must not carry a Finished',
			);
		}

		this.transcriptThroughServerHello = sha256(...this.transcript);
		this.phase = 'wait-trust';
		this.stage = 'trust';
		this.emit({
			type: 'trust-needed',
			role: 'client',
			keyType: hostKey.type,
			fingerprint: hostKey.fingerprint,
		});
	}

	/** X25519 suites: the DH output. Key-transport suites: nothing yet (the client picks it later). */
	private agreeOnSecret(suite: Suite, hello: ServerHello): Buffer | undefined {
		if (suite.keyExchange !== 'x25519') {
			if (hello.keyShare.length > 0)
				throw new PeerMisbehavedError('ServerHello', 'a key-transport suite carries no key share');
			return undefined;
		}

		const shareOk = hello.keyShare.length === X25519_SHARE_LENGTH && this.ephemeral !== undefined;
		this.check(
			'ServerHello',
			'server key share',
			shareOk,
			`${hello.keyShare.length}-byte X25519 public key`,
		);
		if (!shareOk)
			throw new PeerMisbehavedError(
				'ServerHello',
				`X25519 key share of ${hello.keyShare.length} bytes`,
			);
		if (this.observed) {
			this.emit({
				type: 'ephemeral-key',
				role: 'client',
				owner: 'server',
				publicKey: fullHex(hello.keyShare),
			});
		}

		try {
			const shared = x25519SharedSecret(this.ephemeral!.privateKey, hello.keyShare);
			this.check(
				'ServerHello',
				'X25519 shared secret not all zero',
				true,
				'the server key share is not a low-order point',
			);
			this.keyEvent('X25519 shared secret', shared);
			return shared;
		} catch (error) {
			this.check(
				'ServerHello',
				'X25519 shared secret not all zero',
				false,
				(error as Error).message,
			);
			throw new PeerMisbehavedError('ServerHello', (error as Error).message);
		}
	}

	/** ClientFinished: "ok Bob, here is a secret". */
	private sendClientFinished(): void {
		const suite = this.chosen!;
		this.stage = 'ClientFinished';
		let encryptedSecret: Buffer = Buffer.alloc(0);
		if (suite.keyExchange !== 'x25519') {
			const secret = this.random(SECRET_LENGTH);
			const encrypt = this.peerHostKey!.encryptSecret;
			if (!encrypt)
				throw new PeerMisbehavedError(
					'ClientFinished',
					`host key ${this.peerHostKey!.type} cannot receive a secret`,
				);
			encryptedSecret = encrypt(secret, secretLabel(this.transcriptThroughServerHello!));
			this.keyEvent('client-chosen secret', secret);
			this.secrets = handshakeSecrets(secret, this.transcriptThroughServerHello!);
			wipe(secret);
			this.emitHandshakeKeys(this.secrets);
		}

		const secrets = this.secrets!;
		const secretPart = encodeClientFinished({encryptedSecret, finished: Buffer.alloc(0)}).subarray(
			0,
			2 + encryptedSecret.length,
		);
		const finished = hmacSha256(secrets.clientFinishedKey, sha256(...this.transcript, secretPart));
		const body = encodeClientFinished({encryptedSecret, finished});
		this.transcript.push(body);
		this.write(encodeFrame(FrameType.clientFinished, body));
		if (this.observed) {
			this.emit(
				describeClientFinished(
					'client',
					'sent',
					{encryptedSecret, finished},
					body.length + 3,
					suite,
				),
			);
		}

		const cipher = recordCipher(suite.recordCipher);
		if (suite.keyExchange === 'x25519') {
			// Application keys bind the whole handshake through ServerHello (which carries Bob's Finished).
			const application = applicationSecrets(
				secrets.handshakeSecret,
				this.transcriptThroughServerHello!,
			);
			this.installApplicationKeys(
				application.clientApplicationTraffic,
				application.serverApplicationTraffic,
				cipher,
			);
			this.complete();
		} else {
			const application = applicationSecrets(secrets.handshakeSecret, sha256(...this.transcript));
			this.keyEvent('client application traffic secret', application.clientApplicationTraffic);
			this.keyEvent('server application traffic secret', application.serverApplicationTraffic);
			this.pendingServerSecret = application.serverApplicationTraffic;
			this.phase = 'wait-server-finished';
			this.stage = 'ServerFinished';
			// "The client may send its first request right behind it."
			this.installSender(
				new RecordSender(cipher, application.clientApplicationTraffic, this.limits),
			);
		}
	}

	private pendingServerSecret: Buffer | undefined;

	private receiveServerFinished(body: Buffer): void {
		const finished = decodeServerFinished(body);
		if (this.observed) {
			this.emit(
				describeServerFinished('client', 'received', finished, body.length + 3, this.chosen!),
			);
		}

		const expected = hmacSha256(this.secrets!.serverFinishedKey, sha256(...this.transcript));
		const ok = constantTimeEqual(expected, finished);
		this.check(
			'ServerFinished',
			'server Finished MAC',
			ok,
			ok
				? 'Bob decrypted our secret: only the host key holder could'
				: 'Finished MAC does not match',
		);
		if (!ok) throw new BadFinishedError('ServerFinished', 'server Finished MAC does not match');
		this.installReceiver(
			new RecordReceiver(
				recordCipher(this.chosen!.recordCipher),
				this.pendingServerSecret!,
				this.limits,
			),
		);
		this.complete();
	}

	private installApplicationKeys(
		clientSecret: Buffer,
		serverSecret: Buffer,
		cipher: ReturnType<typeof recordCipher>,
	): void {
		this.keyEvent('client application traffic secret', clientSecret);
		this.keyEvent('server application traffic secret', serverSecret);
		this.installReceiver(new RecordReceiver(cipher, serverSecret, this.limits));
		this.installSender(new RecordSender(cipher, clientSecret, this.limits));
	}

	private complete(): void {
		const suite = this.chosen!;
		this.phase = 'open';
		this.markOpen();
		this.ephemeral = undefined;
		this.emit({
			type: 'handshake-complete',
			role: 'client',
			suite: summarizeSuite(suite),
			hostKeyFingerprint: this.peerHostKey!.fingerprint,
			forwardSecrecy: suite.forwardSecrecy,
			insecure: suite.insecure,
		});
	}
}
