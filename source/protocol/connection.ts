/**
 * The part of a securebank connection shared by both roles: framing, alerts, the record layer
 * once keys exist, and the rule that a fatal error sends one alert and closes.
 *
 * Sans-IO, after rustls and h11: bytes go in through `receive`, and every call returns the bytes
 * to write and the events to show. No sockets, no timers, no clocks.
 */
import {randomBytes as cryptoRandomBytes} from '../crypto/primitives.js';
import type {Suite} from '../crypto/suites.js';
import {
	decodeAlert,
	encodeAlert,
	encodeFrame,
	FrameReader,
	FrameType,
	PROTOCOL_VERSION,
	MAX_PLAINTEXT,
	type Frame,
} from './codec.js';
import {
	AlertCode,
	alertName,
	AlertReceivedError,
	asProtocolError,
	ClosedError,
	DecodeError,
	ProtocolVersionError,
	UnexpectedMessageError,
	type HandshakeStage,
	type ProtocolError,
} from './errors.js';
import type {ProtocolEvent, Role, SuiteSummary} from './events.js';
import {keyFingerprint, type HandshakeSecrets} from './key-schedule.js';
import {
	DEFAULT_RECORD_LIMITS,
	InnerType,
	innerTypeNames,
	type RecordReceiver,
	type RecordSender,
	type RecordLimits,
} from './records.js';

export type ConnectionOptions = {
	/** Put raw secrets into `key` events (the `--show-secrets` flag). */
	readonly showSecrets?: boolean;
	/** Emit a `record` event for every record (noisy; off by default). */
	readonly traceRecords?: boolean;
	/**
	 * Emit the step-by-step events (checks, key fingerprints, transcript hashes, message
	 * descriptions) that a log or the handshake pane shows. False keeps only what the I/O layer acts
	 * on (handshake-complete, trust-needed, application-data, alerts, errors, closed): a server with
	 * nobody watching then skips a SHA-256 per key and the formatting of every message. Default true.
	 */
	readonly observe?: boolean;
	readonly limits?: Partial<RecordLimits>;
	/** Randomness source; tests may make it deterministic. */
	readonly randomBytes?: (length: number) => Buffer;
};

export type Output = {readonly send: readonly Buffer[]; readonly events: readonly ProtocolEvent[]};

export type ConnectionState = 'handshaking' | 'open' | 'closed';

export function summarizeSuite(suite: Suite): SuiteSummary {
	return {
		id: suite.id,
		name: suite.name,
		forwardSecrecy: suite.forwardSecrecy,
		insecure: suite.insecure,
		parts: suite.parts,
	};
}

export abstract class Connection {
	abstract readonly role: Role;
	protected abstract stage: HandshakeStage;
	protected readonly options: ConnectionOptions;
	protected readonly limits: RecordLimits;
	protected readonly random: (length: number) => Buffer;
	/** Whether the step-by-step events are wanted (ConnectionOptions.observe). */
	protected readonly observed: boolean;
	protected sender: RecordSender | undefined;
	protected receiver: RecordReceiver | undefined;
	private readonly reader: FrameReader;
	private outbox: Buffer[] = [];
	private pendingEvents: ProtocolEvent[] = [];
	/** Application data handed to `send` before the send keys existed. */
	private queued: Uint8Array[] = [];
	private currentState: ConnectionState = 'handshaking';
	private protectedRecordsReceived = 0;
	private insecureSession = false;
	private failure: ProtocolError | undefined;
	/** The peer's close_notify, kept as data: an Error (and its stack) only if someone asks. */
	private peerClosed: {readonly stage: HandshakeStage; readonly reason: string} | undefined;

	constructor(options: ConnectionOptions = {}) {
		this.options = options;
		this.limits = {...DEFAULT_RECORD_LIMITS, ...options.limits};
		this.random = options.randomBytes ?? cryptoRandomBytes;
		this.observed = options.observe ?? true;
		this.reader = new FrameReader(() => this.stage);
	}

	get state(): ConnectionState {
		return this.currentState;
	}

	/** The handshake stage the machine is in ('records' once open). */
	get currentStage(): HandshakeStage {
		return this.stage;
	}

	isClosed(): boolean {
		return this.currentState === 'closed';
	}

	/** The error that closed the connection, if one did. */
	get error(): ProtocolError | undefined {
		if (!this.failure && this.peerClosed) {
			const {stage, reason} = this.peerClosed;
			this.failure = new ClosedError(
				stage,
				`peer closed the connection${reason ? `: ${reason}` : ''}`,
			);
		}

		return this.failure;
	}

	/** Feed bytes from the peer. Never throws: a fatal error becomes an alert and an event. */
	receive(bytes: Uint8Array): Output {
		if (this.currentState === 'closed') return this.flush();
		try {
			this.reader.push(bytes);
			for (
				let frame = this.reader.next();
				frame;
				frame = this.isClosed() ? undefined : this.reader.next()
			) {
				this.handleFrame(frame);
			}
		} catch (error) {
			this.fail(asProtocolError(error, this.stage));
		}

		return this.flush();
	}

	/** Send application data; before the keys exist it waits in order behind the handshake. */
	send(data: Uint8Array): Output {
		if (this.currentState === 'closed') {
			this.emit({
				type: 'error',
				role: this.role,
				code: 'closed',
				stage: 'records',
				message: 'cannot send: the connection is closed',
			});
			return this.flush();
		}

		if (this.sender) this.sealApplicationData(data);
		else this.queued.push(Buffer.from(data));
		return this.flush();
	}

	/**
	 * Keys the record ciphers for the next record in each direction now. The I/O layer calls it
	 * after writing, while it waits for the network: keying is most of a small record's cost, and
	 * this takes it off the round trip. Changes nothing on the wire; it is never needed.
	 */
	prepareNext(): void {
		if (this.currentState !== 'open') return;
		this.sender?.prepareNext();
		this.receiver?.prepareNext();
	}

	/** A keepalive record: proves the channel is alive without application data. */
	keepalive(): Output {
		if (this.sender && this.currentState !== 'closed') {
			this.guard(() => {
				this.sealRecord(InnerType.keepalive, Buffer.alloc(0));
				this.emit({type: 'keepalive', role: this.role, direction: 'sent'});
			});
		}

		return this.flush();
	}

	/** Re-key the sending direction now (RFC 8446 section 7.2). */
	updateKeys(): Output {
		if (this.sender && this.currentState === 'open')
			this.guard(() => this.sendKeyUpdate('requested'));
		return this.flush();
	}

	/** Orderly close: a close_notify alert, then nothing more. */
	close(reason = 'closed by user'): Output {
		if (this.currentState !== 'closed') {
			this.sendAlert(AlertCode.closeNotify, reason);
			this.finish(reason);
		}

		return this.flush();
	}

	/** Abort with a given error (the I/O layer's timeouts, a rejected request). */
	abort(error: ProtocolError): Output {
		if (this.currentState !== 'closed') this.fail(error);
		return this.flush();
	}

	// -------------------------------------------------------------------------------------------
	// For the role machines

	protected abstract handleHandshakeFrame(frame: Frame): void;

	protected emit(event: ProtocolEvent): void {
		this.pendingEvents.push(
			this.insecureSession && event.insecure === undefined ? {...event, insecure: true} : event,
		);
	}

	/**
	 * Whether every event from now on says INSECURE: set while an insecure teaching suite is offered
	 * or negotiated, cleared when the negotiation picks a secure suite after all.
	 */
	protected markInsecure(insecure = true): void {
		this.insecureSession = insecure;
	}

	protected write(bytes: Buffer): void {
		this.outbox.push(bytes);
	}

	protected flush(): Output {
		const output = {send: this.outbox, events: this.pendingEvents};
		this.outbox = [];
		this.pendingEvents = [];
		return output;
	}

	/** Runs a step; a thrown error becomes a fatal alert instead of escaping. */
	protected guard(step: () => void): void {
		try {
			step();
		} catch (error) {
			this.fail(asProtocolError(error, this.stage));
		}
	}

	/** A check made on what the peer sent; a failed one is reported even when nobody watches. */
	protected check(stage: HandshakeStage, check: string, ok: boolean, detail: string): void {
		if (!this.observed && ok) return;
		this.emit({type: 'check', role: this.role, stage, check, ok, detail});
	}

	/** Both hellos carry the version first; anything but ours ends the handshake. */
	protected checkVersion(stage: HandshakeStage, peer: 'client' | 'server', version: number): void {
		const hex = (value: number) => `0x${value.toString(16).padStart(4, '0')}`;
		const ok = version === PROTOCOL_VERSION;
		this.check(
			stage,
			'protocol version',
			ok,
			`${peer} speaks ${hex(version)}, we speak ${hex(PROTOCOL_VERSION)}`,
		);
		if (!ok) {
			throw new ProtocolVersionError(
				stage,
				`${peer} speaks version ${hex(version)}, we speak ${hex(PROTOCOL_VERSION)}`,
			);
		}
	}

	protected emitHandshakeKeys(secrets: HandshakeSecrets): void {
		if (!this.observed) return;
		this.keyEvent('handshake secret', secrets.handshakeSecret);
		this.keyEvent('client Finished key', secrets.clientFinishedKey);
		this.keyEvent('server Finished key', secrets.serverFinishedKey);
	}

	protected keyEvent(name: string, key: Buffer): void {
		if (!this.observed) return;
		this.emit({
			type: 'key',
			role: this.role,
			name,
			fingerprint: keyFingerprint(key),
			length: key.length,
			...(this.options.showSecrets ? {secret: key.toString('hex')} : {}),
		});
	}

	protected installSender(sender: RecordSender): void {
		this.sender = sender;
		const queued = this.queued;
		this.queued = [];
		for (const data of queued) this.sealApplicationData(data);
	}

	protected installReceiver(receiver: RecordReceiver): void {
		this.receiver = receiver;
	}

	protected markOpen(): void {
		this.currentState = 'open';
		this.stage = 'records';
	}

	protected fail(error: ProtocolError): void {
		if (this.currentState === 'closed') return;
		this.failure = error;
		this.emit({
			type: 'error',
			role: this.role,
			code: error.code,
			stage: error.stage,
			message: error.message,
		});
		if (error.alert !== undefined) this.sendAlert(error.alert, error.detail);
		this.finish(error.message);
	}

	// -------------------------------------------------------------------------------------------

	private handleFrame(frame: Frame): void {
		if (frame.type === FrameType.alert) {
			// Once the peer has protected a record, a plaintext alert could come from anyone on the
			// path. Before that it is the peer's only voice: a server that rejects our Finished has
			// no keys yet, even though we already installed ours.
			if (this.protectedRecordsReceived > 0) {
				throw new UnexpectedMessageError(this.stage, 'an encrypted record', 'a plaintext Alert');
			}

			this.receiveAlert(frame.body);
			return;
		}

		if (frame.type === FrameType.record) {
			if (!this.receiver) {
				throw new UnexpectedMessageError(
					this.stage,
					this.expectedDuringHandshake(),
					'an encrypted record',
				);
			}

			this.receiveRecord(frame);
			return;
		}

		this.handleHandshakeFrame(frame);
	}

	/** Names what the handshake is waiting for, for "expected X, got Y" messages. */
	protected abstract expectedDuringHandshake(): string;

	private receiveRecord(frame: Frame): void {
		const opened = this.receiver!.open(frame.header, frame.body);
		this.protectedRecordsReceived++;
		if (this.options.traceRecords) {
			this.emit({
				type: 'record',
				role: this.role,
				direction: 'received',
				sequence: opened.sequence,
				contentType: innerTypeNames[opened.contentType] ?? `0x${opened.contentType.toString(16)}`,
				size: frame.body.length,
			});
		}

		switch (opened.contentType) {
			case InnerType.applicationData: {
				if (this.currentState !== 'open') {
					throw new UnexpectedMessageError(
						this.stage,
						this.expectedDuringHandshake(),
						'application data',
					);
				}

				this.emit({type: 'application-data', role: this.role, data: opened.content});
				break;
			}

			case InnerType.keepalive: {
				if (opened.content.length > 0) throw new DecodeError('records', 'keepalive must be empty');
				this.emit({type: 'keepalive', role: this.role, direction: 'received'});
				break;
			}

			case InnerType.keyUpdate: {
				if (opened.content.length > 0) throw new DecodeError('records', 'key update must be empty');
				this.receiver!.updateKeys();
				this.emit({
					type: 'key-update',
					role: this.role,
					direction: 'receive',
					generation: this.receiver!.generation,
					fingerprint: keyFingerprint(this.receiver!.secret),
					reason: 'peer',
				});
				break;
			}

			case InnerType.alert: {
				this.receiveAlert(opened.content);
				break;
			}

			default: {
				throw new UnexpectedMessageError(
					'records',
					'a known record content type',
					`content type 0x${opened.contentType.toString(16)}`,
				);
			}
		}
	}

	private receiveAlert(body: Buffer): void {
		const alert = decodeAlert(body, this.stage);
		this.emit({
			type: 'alert',
			role: this.role,
			direction: 'received',
			code: alert.code,
			description: alertName(alert.code),
			reason: alert.reason,
		});
		if (alert.code === AlertCode.closeNotify) {
			this.peerClosed = {stage: this.stage, reason: alert.reason};
			// RFC 8446 6.1: each side sends close_notify before closing its write side, so the peer
			// can tell our orderly end from a truncation too.
			this.sendAlert(AlertCode.closeNotify, 'closing in turn');
			this.finish('peer closed the connection');
			return;
		}

		const error = new AlertReceivedError(this.stage, alert.code, alert.reason);
		this.failure = error;
		this.emit({
			type: 'error',
			role: this.role,
			code: error.code,
			stage: error.stage,
			message: error.message,
		});
		this.finish(error.message);
	}

	private sealApplicationData(data: Uint8Array): void {
		this.guard(() => {
			for (
				let offset = 0;
				offset < data.length || (offset === 0 && data.length === 0);
				offset += MAX_PLAINTEXT
			) {
				this.sealRecord(InnerType.applicationData, data.subarray(offset, offset + MAX_PLAINTEXT));
				if (data.length === 0) break;
			}
		});
	}

	private sealRecord(contentType: InnerType, content: Uint8Array): void {
		const sender = this.sender!;
		if (contentType !== InnerType.keyUpdate && sender.wantsKeyUpdate)
			this.sendKeyUpdate('record-limit');
		const {frame, sequence} = sender.seal(contentType, content);
		this.write(frame);
		this.traceSent(contentType, sequence, frame);
	}

	/** With traceRecords, every record sent (key updates and alerts too) gets a `record` event. */
	private traceSent(contentType: InnerType, sequence: bigint, frame: Buffer): void {
		if (this.options.traceRecords) {
			this.emit({
				type: 'record',
				role: this.role,
				direction: 'sent',
				sequence,
				contentType: innerTypeNames[contentType] ?? String(contentType),
				size: frame.length - 3,
			});
		}
	}

	private sendKeyUpdate(reason: 'requested' | 'record-limit'): void {
		const sender = this.sender!;
		const {frame, sequence} = sender.seal(InnerType.keyUpdate, Buffer.alloc(0));
		this.write(frame);
		this.traceSent(InnerType.keyUpdate, sequence, frame);
		sender.updateKeys();
		this.emit({
			type: 'key-update',
			role: this.role,
			direction: 'send',
			generation: sender.generation,
			fingerprint: keyFingerprint(sender.secret),
			reason,
		});
	}

	private sendAlert(code: number, reason: string): void {
		const body = encodeAlert({code, reason});
		try {
			if (this.sender) {
				const {frame, sequence} = this.sender.seal(InnerType.alert, body);
				this.write(frame);
				this.traceSent(InnerType.alert, sequence, frame);
			} else {
				this.write(encodeFrame(FrameType.alert, body));
			}
		} catch {
			// A sender at its sequence limit cannot even say why; closing is all that is left.
			return;
		}

		this.emit({
			type: 'alert',
			role: this.role,
			direction: 'sent',
			code,
			description: alertName(code),
			reason,
		});
	}

	private finish(reason: string): void {
		this.currentState = 'closed';
		this.queued = [];
		this.sender?.destroy();
		this.receiver?.destroy();
		this.emit({type: 'closed', role: this.role, reason});
	}
}
