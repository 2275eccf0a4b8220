/**
 * A minimal record layer, for the round-trip benchmark only: how fast a record layer written in
 * JavaScript over node:net and node:crypto can be at all, measured next to ours and node:tls.
 *
 * It keeps only what each record must cost: a 3-byte header, ChaCha20-Poly1305 with a fresh
 * context per record (nonce = iv XOR sequence number, the header as associated data), one write.
 * No handshake (a fixed key both ends know), no state machine, no events, no limits, no key
 * update: NOT a secure channel, and never used outside bench/.
 */
import {createCipheriv, createDecipheriv} from 'node:crypto';
import type {Socket} from 'node:net';

const KEY = Buffer.alloc(32, 0x42);
const IV = Buffer.alloc(12, 0x24);
const TAG = 16;
const HEADER = 3;

function nonce(sequence: number): Buffer {
	const result = Buffer.from(IV);
	result.writeUInt32BE((result.readUInt32BE(8) ^ sequence) >>> 0, 8);
	return result;
}

/** Wires a socket: returns a function that seals and writes; calls onRecord with each opened one. */
export function naiveRecords(
	socket: Socket,
	onRecord: (plaintext: Buffer) => void,
): (plaintext: Buffer) => void {
	let sent = 0;
	let received = 0;
	let pending: Buffer = Buffer.alloc(0);
	socket.on('data', (chunk: Buffer) => {
		pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
		while (pending.length >= HEADER) {
			const length = pending.readUInt16BE(1);
			if (pending.length < HEADER + length) break;
			const header = pending.subarray(0, HEADER);
			const body = pending.subarray(HEADER, HEADER + length);
			pending = pending.subarray(HEADER + length);
			const decipher = createDecipheriv('chacha20-poly1305', KEY, nonce(received++), {
				authTagLength: TAG,
			});
			decipher.setAAD(header, {plaintextLength: length - TAG});
			decipher.setAuthTag(body.subarray(length - TAG));
			const plaintext = decipher.update(body.subarray(0, length - TAG));
			decipher.final();
			onRecord(plaintext);
		}
	});
	return (plaintext) => {
		const header = Buffer.from([0x17, 0, 0]);
		header.writeUInt16BE(plaintext.length + TAG, 1);
		const cipher = createCipheriv('chacha20-poly1305', KEY, nonce(sent++), {authTagLength: TAG});
		cipher.setAAD(header, {plaintextLength: plaintext.length});
		const ciphertext = cipher.update(plaintext);
		cipher.final();
		socket.write(Buffer.concat([header, ciphertext, cipher.getAuthTag()]));
	};
}
