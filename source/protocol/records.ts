/**
 * The record layer, after RFC 8446 section 5: length-prefixed AEAD records.
 *
 *   struct Record {                  // a Frame of type 0x17
 *     u8  type = 0x17;
 *     u16 length;                    // of encrypted_inner, at most MAX_RECORD_BODY
 *     u8  encrypted_inner[length];   // AEAD(key, nonce, inner, additional data = the 3 header bytes)
 *   }
 *   struct Inner {
 *     u8 content[...];               // at most 16 KiB
 *     u8 content_type;               // InnerType
 *   }
 *
 * nonce = iv XOR the 64-bit big-endian sequence number of the direction, left-padded to 12 bytes
 * (5.3). A record that fails to open is fatal and leaves the sequence number where it was. Each
 * direction re-keys (7.2) on demand and after a configurable number of records.
 */
import {
	aeadOpen,
	aeadOpenPrepared,
	aeadPrepareOpen,
	aeadPrepareSeal,
	aeadSeal,
	aeadSealPrepared,
	AEAD_TAG_LENGTH,
	CryptoInputError,
	wipe,
} from '../crypto/primitives.js';
import type {RecordCipherName} from '../crypto/suites.js';
import {FRAME_HEADER_LENGTH, FrameType, MAX_PLAINTEXT, MAX_RECORD_BODY} from './codec.js';
import {
	BadRecordMacError,
	DecodeError,
	RecordOverflowError,
	SequenceExhaustedError,
} from './errors.js';
import {nextTrafficSecret, trafficKeys} from './key-schedule.js';

export const InnerType = {
	keepalive: 0x0a,
	alert: 0x15,
	keyUpdate: 0x18,
	applicationData: 0x17,
} as const;
export type InnerType = (typeof InnerType)[keyof typeof InnerType];

export const innerTypeNames: Readonly<Record<number, string>> = {
	[InnerType.keepalive]: 'keepalive',
	[InnerType.alert]: 'alert',
	[InnerType.keyUpdate]: 'key update',
	[InnerType.applicationData]: 'application data',
};

/** How a suite protects records: the AEADs here, S-DES in the teaching suite. */
export type RecordCipher = {
	readonly name: RecordCipherName;
	readonly keyLength: number;
	readonly ivLength: number;
	/** Bytes the sealed form adds to the inner plaintext. */
	readonly overhead: number;
	seal(key: Buffer, nonce: Buffer, inner: Uint8Array, additionalData: Uint8Array): Buffer;
	/** Throws when the record does not authenticate. */
	open(key: Buffer, nonce: Buffer, sealed: Uint8Array, additionalData: Uint8Array): Buffer;
	/**
	 * Optional: key the cipher for one nonce now, to seal once later (the result is header ||
	 * sealed). Lets the I/O layer do the costly part while it waits for the network.
	 */
	prepareSeal?(key: Buffer, nonce: Buffer): PreparedSealer;
	/** Optional: the same for opening. */
	prepareOpen?(key: Buffer, nonce: Buffer): PreparedOpener;
};

export type PreparedSealer = (inner: Uint8Array, header: Buffer) => Buffer;
export type PreparedOpener = (sealed: Uint8Array, header: Buffer) => Buffer;

function aeadCipher(name: 'chacha20-poly1305' | 'aes-256-gcm'): RecordCipher {
	return {
		name,
		keyLength: 32,
		ivLength: 12,
		overhead: AEAD_TAG_LENGTH,
		seal: (key, nonce, inner, additionalData) => aeadSeal(name, key, nonce, inner, additionalData),
		open: (key, nonce, sealed, additionalData) =>
			aeadOpen(name, key, nonce, sealed, additionalData),
		prepareSeal(key, nonce) {
			const prepared = aeadPrepareSeal(name, key, nonce);
			return (inner, header) => aeadSealPrepared(prepared, inner, header, header);
		},
		prepareOpen(key, nonce) {
			const prepared = aeadPrepareOpen(name, key, nonce);
			return (sealed, header) => aeadOpenPrepared(prepared, sealed, header);
		},
	};
}

const recordCiphers = new Map<RecordCipherName, RecordCipher>([
	['chacha20-poly1305', aeadCipher('chacha20-poly1305')],
	['aes-256-gcm', aeadCipher('aes-256-gcm')],
]);

export function registerRecordCipher(cipher: RecordCipher): void {
	recordCiphers.set(cipher.name, cipher);
}

export function recordCipher(name: RecordCipherName): RecordCipher {
	const cipher = recordCiphers.get(name);
	if (!cipher) throw new Error(`record cipher ${name} is not registered`);
	return cipher;
}

export const MAX_SEQUENCE = 2n ** 64n - 1n;

export type RecordLimits = {
	/** Records sent under one key before the sender re-keys by itself. */
	readonly keyUpdateAfterRecords: number;
	/** The last usable sequence number (2^64 - 1; lower in tests). */
	readonly maxSequence: bigint;
};

export const DEFAULT_RECORD_LIMITS: RecordLimits = {
	keyUpdateAfterRecords: 1 << 24,
	maxSequence: MAX_SEQUENCE,
};

/**
 * One direction's keys and sequence number, and, once warmed, the cipher context for the next
 * sequence number (keyed ahead of use; see RecordCipher.prepareSeal).
 */
class DirectionKeys {
	private key: Buffer;
	private iv: Buffer;
	private readonly nonce: Buffer;
	private preparedSealer: PreparedSealer | undefined;
	private preparedOpener: PreparedOpener | undefined;
	sequence = 0n;
	generation = 0;

	constructor(
		private readonly cipher: RecordCipher,
		private secret: Buffer,
		private readonly labelPrefix: string,
	) {
		({key: this.key, iv: this.iv} = trafficKeys(
			secret,
			cipher.keyLength,
			cipher.ivLength,
			labelPrefix,
		));
		this.nonce = Buffer.alloc(cipher.ivLength);
	}

	get currentSecret(): Buffer {
		return this.secret;
	}

	get currentKey(): Buffer {
		return this.key;
	}

	/** iv XOR sequence, RFC 8446 section 5.3. */
	nonceFor(sequence: bigint): Buffer {
		this.iv.copy(this.nonce);
		const length = this.nonce.length;
		const high = Number(sequence >> 32n);
		const low = Number(sequence & 0xff_ff_ff_ffn);
		this.nonce.writeUInt32BE((this.nonce.readUInt32BE(length - 8) ^ high) >>> 0, length - 8);
		this.nonce.writeUInt32BE((this.nonce.readUInt32BE(length - 4) ^ low) >>> 0, length - 4);
		return this.nonce;
	}

	/** header || sealed, under the current sequence number's nonce. */
	seal(inner: Uint8Array, header: Buffer): Buffer {
		const prepared = this.preparedSealer;
		if (prepared) {
			this.preparedSealer = undefined;
			return prepared(inner, header);
		}

		const sealed = this.cipher.seal(this.key, this.nonceFor(this.sequence), inner, header);
		return Buffer.concat([header, sealed], header.length + sealed.length);
	}

	open(sealed: Uint8Array, header: Buffer): Buffer {
		const prepared = this.preparedOpener;
		if (prepared) {
			this.preparedOpener = undefined;
			return prepared(sealed, header);
		}

		return this.cipher.open(this.key, this.nonceFor(this.sequence), sealed, header);
	}

	/** Keys the context for the current sequence number now, if the cipher can (idempotent). */
	prepare(mode: 'seal' | 'open'): void {
		if (mode === 'seal') {
			if (!this.preparedSealer && this.cipher.prepareSeal)
				this.preparedSealer = this.cipher.prepareSeal(this.key, this.nonceFor(this.sequence));
		} else if (!this.preparedOpener && this.cipher.prepareOpen) {
			this.preparedOpener = this.cipher.prepareOpen(this.key, this.nonceFor(this.sequence));
		}
	}

	/** RFC 8446 section 7.2: move to the next traffic secret; the old key is wiped. */
	update(): void {
		this.dropPrepared();
		const next = nextTrafficSecret(this.secret, this.labelPrefix);
		wipe(this.key);
		wipe(this.secret);
		this.secret = next;
		({key: this.key, iv: this.iv} = trafficKeys(
			next,
			this.cipher.keyLength,
			this.cipher.ivLength,
			this.labelPrefix,
		));
		this.sequence = 0n;
		this.generation++;
	}

	destroy(): void {
		this.dropPrepared();
		wipe(this.key);
		wipe(this.secret);
	}

	private dropPrepared(): void {
		this.preparedSealer = undefined;
		this.preparedOpener = undefined;
	}
}

export type OpenedRecord = {
	readonly contentType: number;
	readonly content: Buffer;
	readonly sequence: bigint;
};

/** Protects outgoing records of one direction. */
export class RecordSender {
	private readonly keys: DirectionKeys;

	constructor(
		private readonly cipher: RecordCipher,
		secret: Buffer,
		private readonly limits: RecordLimits = DEFAULT_RECORD_LIMITS,
		labelPrefix?: string,
	) {
		this.keys = new DirectionKeys(cipher, secret, labelPrefix ?? 'sbank1 ');
	}

	get sequence(): bigint {
		return this.keys.sequence;
	}

	get generation(): number {
		return this.keys.generation;
	}

	get secret(): Buffer {
		return this.keys.currentSecret;
	}

	get key(): Buffer {
		return this.keys.currentKey;
	}

	/** True when the next record should be a KeyUpdate (record count reached). */
	get wantsKeyUpdate(): boolean {
		return this.keys.sequence >= BigInt(this.limits.keyUpdateAfterRecords);
	}

	/** Seals content into one whole frame (header included). */
	seal(contentType: InnerType, content: Uint8Array): {frame: Buffer; sequence: bigint} {
		if (content.length > MAX_PLAINTEXT) {
			throw new RecordOverflowError(
				'records',
				`record content of ${content.length} bytes exceeds ${MAX_PLAINTEXT}`,
			);
		}

		const sequence = this.keys.sequence;
		if (sequence > this.limits.maxSequence) {
			throw new SequenceExhaustedError(
				'records',
				'send sequence number exhausted: the keys must be updated first',
			);
		}

		const inner = Buffer.allocUnsafe(content.length + 1);
		inner.set(content, 0);
		inner[content.length] = contentType;
		const sealedLength = inner.length + this.cipher.overhead;
		const header = Buffer.allocUnsafe(FRAME_HEADER_LENGTH);
		header[0] = FrameType.record;
		header.writeUInt16BE(sealedLength, 1);
		const frame = this.keys.seal(inner, header);
		this.keys.sequence = sequence + 1n;
		return {frame, sequence};
	}

	/**
	 * Keys the cipher for the next record now (see RecordCipher.prepareSeal), once this direction
	 * has carried a record: a connection that only shakes hands wastes nothing.
	 */
	prepareNext(): void {
		const {sequence} = this.keys;
		if (sequence > 0n && sequence <= this.limits.maxSequence && !this.wantsKeyUpdate)
			this.keys.prepare('seal');
	}

	updateKeys(): void {
		this.keys.update();
	}

	destroy(): void {
		this.keys.destroy();
	}
}

/** Opens incoming records of one direction. */
export class RecordReceiver {
	private readonly keys: DirectionKeys;

	constructor(
		cipher: RecordCipher,
		secret: Buffer,
		private readonly limits: RecordLimits = DEFAULT_RECORD_LIMITS,
		labelPrefix?: string,
	) {
		this.keys = new DirectionKeys(cipher, secret, labelPrefix ?? 'sbank1 ');
	}

	get sequence(): bigint {
		return this.keys.sequence;
	}

	get generation(): number {
		return this.keys.generation;
	}

	get secret(): Buffer {
		return this.keys.currentSecret;
	}

	/** Opens a record frame; on failure throws and the sequence number does not move. */
	open(header: Buffer, body: Buffer): OpenedRecord {
		const sequence = this.keys.sequence;
		if (sequence > this.limits.maxSequence) {
			throw new SequenceExhaustedError(
				'records',
				'receive sequence number exhausted: the peer did not update its keys',
			);
		}

		if (body.length > MAX_RECORD_BODY) {
			throw new RecordOverflowError(
				'records',
				`record of ${body.length} bytes exceeds ${MAX_RECORD_BODY}`,
			);
		}

		let inner: Buffer;
		try {
			inner = this.keys.open(body, header);
		} catch (error) {
			if (error instanceof CryptoInputError) {
				throw new BadRecordMacError(
					'records',
					`record ${sequence} failed authentication (tampered, replayed, reordered or truncated)`,
				);
			}

			throw error;
		}

		if (inner.length === 0) {
			throw new DecodeError('records', `record ${sequence} has no content type`);
		}

		if (inner.length - 1 > MAX_PLAINTEXT) {
			throw new RecordOverflowError(
				'records',
				`record ${sequence} carries ${inner.length - 1} bytes, more than ${MAX_PLAINTEXT}`,
			);
		}

		this.keys.sequence = sequence + 1n;
		return {
			contentType: inner[inner.length - 1]!,
			content: inner.subarray(0, -1),
			sequence,
		};
	}

	/** Keys the cipher for the next record now, once this direction has carried a record. */
	prepareNext(): void {
		const {sequence} = this.keys;
		if (sequence > 0n && sequence <= this.limits.maxSequence) this.keys.prepare('open');
	}

	updateKeys(): void {
		this.keys.update();
	}

	destroy(): void {
		this.keys.destroy();
	}
}
