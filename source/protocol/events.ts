/**
 * ONE discriminated union of everything a UI or a log may show (STYLE.md, after Gemini CLI's core).
 *
 * The protocol machines emit the handshake and record events; the network layer adds connection,
 * trust and timing events of the same union. Raw secrets appear only in `secret` fields, and only
 * when the machine was built with `showSecrets` (the `--show-secrets` flag).
 */
import type {ErrorCode, HandshakeStage} from './errors.js';

export type Role = 'client' | 'server';

/** A is the client (Alice), B the server (Bob), as in the original design. */
export type Flow = 'A→B' | 'B→A';

/** The original design's name for each step, kept so a student can follow the story. */
export type OriginalStep =
	| 'hello'
	| "Hi, I'm Bob"
	| 'prove it'
	| 'Alice, this is Bob'
	| 'here is a secret'
	| 'ok Bob'
	| 'banking';

export type MessageName = 'ClientHello' | 'ServerHello' | 'ClientFinished' | 'ServerFinished';

/** One field of a message: a short form for the log line, the full form for the expanded view. */
export type MessageField = {
	readonly name: string;
	readonly short: string;
	readonly full: string;
	/** What the field is for, in one line. */
	readonly note?: string;
};

export type SuiteSummary = {
	readonly id: number;
	readonly name: string;
	readonly forwardSecrecy: boolean;
	readonly insecure: boolean;
	readonly parts: {
		readonly keyExchange: string;
		readonly signature: string;
		readonly records: string;
		readonly hash: string;
	};
};

export type TrustStatus = 'new' | 'known' | 'pinned' | 'changed' | 'accepted' | 'rejected';

/**
 * Every event of a session that negotiated an insecure teaching suite carries `insecure: true`,
 * so that every screen and log line can say INSECURE.
 */
export type ProtocolEvent = ProtocolEventBody & {readonly insecure?: boolean};

type ProtocolEventBody =
	/** A handshake message sent or received, with its public fields. */
	| {
			readonly type: 'message';
			readonly role: Role;
			readonly direction: 'sent' | 'received';
			readonly flow: Flow;
			readonly message: MessageName;
			readonly steps: readonly OriginalStep[];
			/** What this step is for, in one line. */
			readonly purpose: string;
			readonly size: number;
			readonly fields: readonly MessageField[];
			readonly insecure: boolean;
	  }
	/** A check made on what the peer sent, and its result. */
	| {
			readonly type: 'check';
			readonly role: Role;
			readonly stage: HandshakeStage;
			readonly check: string;
			readonly ok: boolean;
			readonly detail: string;
	  }
	| {
			readonly type: 'suite';
			readonly role: Role;
			readonly suite: SuiteSummary;
			readonly offered: readonly string[];
	  }
	/** The host key the server presented (client) or uses (server). */
	| {
			readonly type: 'host-key';
			readonly role: Role;
			readonly keyType: string;
			readonly fingerprint: string;
			readonly publicKey: string;
	  }
	/** The client machine pauses here until the trust decision is made (known_hosts, a prompt). */
	| {
			readonly type: 'trust-needed';
			readonly role: 'client';
			readonly keyType: string;
			readonly fingerprint: string;
	  }
	/** The network layer's trust decision about the host key. */
	| {
			readonly type: 'trust';
			readonly role: 'client';
			readonly host: string;
			readonly status: TrustStatus;
			readonly keyType: string;
			readonly fingerprint: string;
			readonly knownFingerprint?: string;
			readonly knownHostsFile?: string;
			readonly knownHostsLine?: number;
			readonly detail: string;
	  }
	| {
			readonly type: 'ephemeral-key';
			readonly role: Role;
			readonly owner: 'client' | 'server';
			readonly publicKey: string;
	  }
	| {
			readonly type: 'transcript';
			readonly role: Role;
			readonly label: string;
			readonly hash: string;
	  }
	/** A derived key or secret: its fingerprint always, the raw value only with showSecrets. */
	| {
			readonly type: 'key';
			readonly role: Role;
			readonly name: string;
			readonly fingerprint: string;
			readonly length: number;
			readonly secret?: string;
	  }
	| {
			readonly type: 'handshake-complete';
			readonly role: Role;
			readonly suite: SuiteSummary;
			readonly hostKeyFingerprint: string;
			readonly forwardSecrecy: boolean;
			readonly insecure: boolean;
	  }
	| {
			readonly type: 'application-data';
			readonly role: Role;
			readonly data: Uint8Array;
	  }
	| {
			readonly type: 'record';
			readonly role: Role;
			readonly direction: 'sent' | 'received';
			readonly sequence: bigint;
			readonly contentType: string;
			readonly size: number;
	  }
	| {
			readonly type: 'key-update';
			readonly role: Role;
			readonly direction: 'send' | 'receive';
			readonly generation: number;
			readonly fingerprint: string;
			readonly reason: 'requested' | 'record-limit' | 'peer';
	  }
	| {
			readonly type: 'keepalive';
			readonly role: Role;
			readonly direction: 'sent' | 'received';
	  }
	| {
			readonly type: 'alert';
			readonly role: Role;
			readonly direction: 'sent' | 'received';
			readonly code: number;
			readonly description: string;
			readonly reason: string;
	  }
	| {
			readonly type: 'error';
			readonly role: Role;
			readonly code: ErrorCode;
			readonly stage: HandshakeStage;
			readonly message: string;
	  }
	| {
			readonly type: 'closed';
			readonly role: Role;
			readonly reason: string;
	  }
	// Network-layer events, part of the same union.
	| {
			readonly type: 'listening';
			readonly role: 'server';
			readonly address: string;
	  }
	| {
			readonly type: 'connection';
			readonly role: Role;
			readonly state: 'connecting' | 'connected' | 'lost' | 'closed' | 'refused';
			readonly peer: string;
			readonly detail?: string;
	  }
	| {
			readonly type: 'timing';
			readonly role: Role;
			readonly what: string;
			readonly milliseconds: number;
	  };

export type ProtocolEventType = ProtocolEvent['type'];
export type EventOf<T extends ProtocolEventType> = Extract<ProtocolEventBody, {type: T}> & {
	readonly insecure?: boolean;
};

/** Hex of the first bytes, for short display: "a1b2c3d4…" (full value in the expanded view). */
export function shortHex(bytes: Uint8Array, length = 8): string {
	const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
	return hex.length > length * 2 ? `${hex.slice(0, length * 2)}…` : hex;
}

export function fullHex(bytes: Uint8Array): string {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}
