/**
 * The full downgrade to the INSECURE teaching suite (0x7f01), as a frame handler for the attacker's
 * proxy. Stripping the offer alone is not enough: the Finished MACs cover the transcript, and the
 * customer's transcript (with its real offer) differs from the bank's (with the stripped one). So
 * the attacker must also break the key exchange, and then it can mend everything:
 *
 *   ClientHello     strip the offer to [0x7f01] (the bank picks the teaching suite)
 *   ServerHello     forward unchanged: its "signature" covers a fixed sentence, not the offer;
 *                   factor N on the way (milliseconds for 64 bits) to get d
 *   ClientFinished  decrypt the textbook RSA secret with d; recompute the client Finished over the
 *                   bank's transcript H(CH' || SH || CF[..secret]) and send that instead
 *   ServerFinished  replace the bank's MAC with one over the customer's transcript H(CH || SH || CF)
 *   records         the two ends now hold different traffic keys (their transcripts differ):
 *                   decrypt with one side's keys, read, re-encrypt with the other's
 *
 * This is the lesson of FREAK and Logjam: a downgrade succeeds when a weak option is allowed at
 * all, because breaking the weak key exchange also breaks what was meant to detect the downgrade.
 */
import type {RecoveredPrivateKey} from '../crypto/teaching/factoring.js';
import {textbookRsa} from '../crypto/teaching/index.js';
import {
	decodeClientFinished,
	decodeClientHello,
	decodeServerFinished,
	encodeClientFinished,
	encodeClientHello,
	encodeFrame,
	encodeServerFinished,
	FRAME_HEADER_LENGTH,
	FrameType,
} from '../protocol/codec.js';
import {InnerType, recordCipher, RecordReceiver, RecordSender} from '../protocol/records.js';
import {TEACHING_SUITE} from '../protocol/teaching-suite.js';
import {hex, milliseconds, printable, type LabOutput} from './output.js';
import type {FrameHandler, WireFrame} from './proxy.js';
import {
	clientFinishedMac,
	decryptTeachingSecret,
	keyTransportSchedule,
	serverFinishedMac,
	teachingKeyOfServerHello,
	type TeachingSessionKeys,
} from './teaching-keys.js';

/** The ClientHello body with its offer replaced (everything else, random and key share, kept). */
export function withOffer(clientHello: Buffer, suites: readonly number[]): Buffer {
	return encodeClientHello({...decodeClientHello(clientHello), suites});
}

/** Only strips the offer: what a naive attacker tries first. */
export function stripOfferOnly(suites: readonly number[]): FrameHandler {
	return (frame) =>
		frame.direction === 'toServer' && frame.type === FrameType.clientHello
			? [encodeFrame(FrameType.clientHello, withOffer(frame.body, suites))]
			: undefined;
}

type Translator = {readonly receiver: RecordReceiver; readonly sender: RecordSender};

export class TeachingDowngrade {
	/** Application data read in clear, customer to bank. */
	readonly captured: string[] = [];
	recovery: RecoveredPrivateKey | undefined;
	private clientHello: Buffer | undefined;
	private strippedHello: Buffer | undefined;
	private serverHello: Buffer | undefined;
	private customerView: TeachingSessionKeys | undefined;
	private customerFinished: Buffer | undefined;
	private bankView: TeachingSessionKeys | undefined;
	private bankFinished: Buffer | undefined;
	private customerToBank: Translator | undefined;
	private bankToCustomer: Translator | undefined;

	constructor(private readonly out: LabOutput) {}

	readonly handle: FrameHandler = (frame) => {
		const toServer = frame.direction === 'toServer';
		switch (frame.type) {
			case FrameType.clientHello: {
				return [this.onClientHello(frame.body)];
			}

			case FrameType.serverHello: {
				this.onServerHello(frame.body);
				return undefined;
			}

			case FrameType.clientFinished: {
				return [this.onClientFinished(frame.body)];
			}

			case FrameType.serverFinished: {
				return [this.onServerFinished(frame.body)];
			}

			case FrameType.record: {
				return [
					this.translate(frame, toServer ? this.customerToBank : this.bankToCustomer, toServer),
				];
			}

			default: {
				return undefined;
			}
		}
	};

	private onClientHello(body: Buffer): Buffer {
		this.clientHello = body;
		this.strippedHello = withOffer(body, [TEACHING_SUITE.id]);
		this.out.line(
			`    attacker: ClientHello offer [${decodeClientHello(body)
				.suites.map((id) => `0x${id.toString(16).padStart(4, '0')}`)
				.join(', ')}] -> [0x7f01]`,
		);
		return encodeFrame(FrameType.clientHello, this.strippedHello);
	}

	private onServerHello(body: Buffer): void {
		this.serverHello = body;
		const {n, e} = teachingKeyOfServerHello(body);
		const recovery = textbookRsa.recoverPrivateKey(e, n, {timeLimitMs: 60_000});
		if (!recovery.recovered) throw new Error(`N = ${n} did not factor: ${recovery.reason}`);
		this.recovery = recovery;
		this.out.line(
			`    attacker: ServerHello forwarded unchanged (its signature covers "Alice, this is Bob", not the offer); N = ${n} factored in ${milliseconds(recovery.elapsedMs)}, d = ${recovery.d}`,
		);
	}

	private onClientFinished(body: Buffer): Buffer {
		const [clientHello, strippedHello, serverHello, recovery] = [
			this.clientHello!,
			this.strippedHello!,
			this.serverHello!,
			this.recovery!,
		];
		const {encryptedSecret, finished} = decodeClientFinished(body);
		const secret = decryptTeachingSecret(encryptedSecret, {
			n: teachingKeyOfServerHello(serverHello).n,
			d: recovery.d,
		});
		this.customerView = keyTransportSchedule(secret, clientHello, serverHello, body);
		this.customerFinished = body;
		const customerMacOk = clientFinishedMac(
			this.customerView.handshake,
			clientHello,
			serverHello,
			body,
		).equals(finished);
		// The bank's transcript has the stripped offer: its Finished key and MAC differ.
		const bankHandshake = keyTransportSchedule(secret, strippedHello, serverHello, body).handshake;
		const forged = encodeClientFinished({
			encryptedSecret,
			finished: clientFinishedMac(bankHandshake, strippedHello, serverHello, body),
		});
		this.bankFinished = forged;
		this.bankView = keyTransportSchedule(secret, strippedHello, serverHello, forged);
		this.out.line(
			`    attacker: ClientFinished: secret ${hex(secret, 8)} decrypted with d (customer's MAC ${customerMacOk ? 'checks out' : 'does NOT check out'}); MAC ${hex(finished, 6)} replaced by ${hex(forged.subarray(-32), 6)}, computed over the bank's transcript`,
		);
		const cipher = recordCipher(TEACHING_SUITE.recordCipher);
		this.customerToBank = {
			receiver: new RecordReceiver(cipher, this.customerView.application.clientApplicationTraffic),
			sender: new RecordSender(cipher, this.bankView.application.clientApplicationTraffic),
		};
		this.bankToCustomer = {
			receiver: new RecordReceiver(cipher, this.bankView.application.serverApplicationTraffic),
			sender: new RecordSender(cipher, this.customerView.application.serverApplicationTraffic),
		};
		return encodeFrame(FrameType.clientFinished, forged);
	}

	private onServerFinished(body: Buffer): Buffer {
		const bankMac = decodeServerFinished(body);
		const expected = serverFinishedMac(
			this.bankView!.handshake,
			this.strippedHello!,
			this.serverHello!,
			this.bankFinished!,
		);
		const forged = serverFinishedMac(
			this.customerView!.handshake,
			this.clientHello!,
			this.serverHello!,
			this.customerFinished!,
		);
		this.out.line(
			`    attacker: ServerFinished ${hex(bankMac, 6)} (${expected.equals(bankMac) ? 'the bank accepted the forged ClientFinished' : 'unexpected'}) replaced by ${hex(forged, 6)}, computed over the customer's transcript`,
		);
		return encodeFrame(FrameType.serverFinished, encodeServerFinished(forged));
	}

	/** Decrypt with one side's keys, read, re-encrypt with the other side's. */
	private translate(
		frame: WireFrame,
		translator: Translator | undefined,
		toServer: boolean,
	): Buffer {
		if (!translator) throw new Error('a record before the keys were recovered');
		const opened = translator.receiver.open(
			frame.bytes.subarray(0, FRAME_HEADER_LENGTH),
			frame.body,
		);
		if (opened.contentType === InnerType.applicationData) {
			if (toServer) this.captured.push(opened.content.toString('utf8'));
			this.out.line(
				`    attacker reads ${toServer ? 'customer->bank' : 'bank->customer'}: ${printable(opened.content)}`,
			);
		}

		return translator.sender.seal(opened.contentType as InnerType, opened.content).frame;
	}
}
