/**
 * One error family, after rustls: each class has a stable code, names the handshake stage that
 * failed, and maps to the alert sent before closing (alert numbers follow RFC 8446 section 6).
 */

export type HandshakeStage =
	'ClientHello' | 'ServerHello' | 'ClientFinished' | 'ServerFinished' | 'trust' | 'records';

/** The stage number a person sees: "handshake stage 2: bad signature". */
export const stageNumber: Readonly<Record<HandshakeStage, number>> = {
	ClientHello: 1,
	ServerHello: 2,
	trust: 2,
	ClientFinished: 3,
	ServerFinished: 4,
	records: 5,
};

export const AlertCode = {
	closeNotify: 0,
	unexpectedMessage: 10,
	badRecordMac: 20,
	recordOverflow: 22,
	handshakeFailure: 40,
	hostKeyRejected: 42,
	illegalParameter: 47,
	decodeError: 50,
	decryptError: 51,
	protocolVersion: 70,
	insufficientSecurity: 71,
	internalError: 80,
	userCanceled: 90,
	timeout: 100,
	policyViolation: 110,
} as const;
export type AlertCode = (typeof AlertCode)[keyof typeof AlertCode];

const alertNames = new Map<number, string>([
	[AlertCode.closeNotify, 'close_notify'],
	[AlertCode.unexpectedMessage, 'unexpected_message'],
	[AlertCode.badRecordMac, 'bad_record_mac'],
	[AlertCode.recordOverflow, 'record_overflow'],
	[AlertCode.handshakeFailure, 'handshake_failure'],
	[AlertCode.hostKeyRejected, 'host_key_rejected'],
	[AlertCode.illegalParameter, 'illegal_parameter'],
	[AlertCode.decodeError, 'decode_error'],
	[AlertCode.decryptError, 'decrypt_error'],
	[AlertCode.protocolVersion, 'protocol_version'],
	[AlertCode.insufficientSecurity, 'insufficient_security'],
	[AlertCode.internalError, 'internal_error'],
	[AlertCode.userCanceled, 'user_canceled'],
	[AlertCode.timeout, 'timeout'],
	[AlertCode.policyViolation, 'policy_violation'],
]);

export function alertName(code: number): string {
	return alertNames.get(code) ?? `unknown_alert_${code}`;
}

export type ErrorCode =
	| 'unexpected_message'
	| 'decode_error'
	| 'record_overflow'
	| 'protocol_version'
	| 'no_common_suite'
	| 'illegal_parameter'
	| 'bad_signature'
	| 'bad_finished'
	| 'decrypt_error'
	| 'bad_record_mac'
	| 'sequence_exhausted'
	| 'host_key_rejected'
	| 'alert_received'
	| 'closed'
	| 'timeout'
	| 'policy_violation'
	| 'internal_error';

export abstract class ProtocolError extends Error {
	abstract readonly code: ErrorCode;
	/** The alert to send before closing; undefined when none should be sent (alert received). */
	abstract readonly alert: AlertCode | undefined;

	constructor(
		readonly stage: HandshakeStage,
		readonly detail: string,
	) {
		super(
			`${stage === 'records' ? 'records' : `handshake stage ${stageNumber[stage]} (${stage})`}: ${detail}`,
		);
	}
}

export class UnexpectedMessageError extends ProtocolError {
	override readonly name = 'UnexpectedMessageError';
	readonly code = 'unexpected_message';
	readonly alert = AlertCode.unexpectedMessage;

	constructor(
		stage: HandshakeStage,
		readonly expected: string,
		readonly got: string,
	) {
		super(stage, `unexpected message: expected ${expected}, got ${got}`);
	}
}

export class DecodeError extends ProtocolError {
	override readonly name = 'DecodeError';
	readonly code = 'decode_error';
	readonly alert = AlertCode.decodeError;
}

export class RecordOverflowError extends ProtocolError {
	override readonly name = 'RecordOverflowError';
	readonly code = 'record_overflow';
	readonly alert = AlertCode.recordOverflow;
}

export class ProtocolVersionError extends ProtocolError {
	override readonly name = 'ProtocolVersionError';
	readonly code = 'protocol_version';
	readonly alert = AlertCode.protocolVersion;
}

export class NoCommonSuiteError extends ProtocolError {
	override readonly name = 'NoCommonSuiteError';
	readonly code = 'no_common_suite';
	readonly alert = AlertCode.handshakeFailure;
}

/** The peer sent something well-formed but wrong (a suite it was not offered, a low-order key). */
export class PeerMisbehavedError extends ProtocolError {
	override readonly name = 'PeerMisbehavedError';
	readonly code = 'illegal_parameter';
	readonly alert = AlertCode.illegalParameter;
}

export class BadSignatureError extends ProtocolError {
	override readonly name = 'BadSignatureError';
	readonly code = 'bad_signature';
	readonly alert = AlertCode.decryptError;
}

export class BadFinishedError extends ProtocolError {
	override readonly name = 'BadFinishedError';
	readonly code = 'bad_finished';
	readonly alert = AlertCode.decryptError;
}

export class DecryptError extends ProtocolError {
	override readonly name = 'DecryptError';
	readonly code = 'decrypt_error';
	readonly alert = AlertCode.decryptError;
}

export class BadRecordMacError extends ProtocolError {
	override readonly name = 'BadRecordMacError';
	readonly code = 'bad_record_mac';
	readonly alert = AlertCode.badRecordMac;
}

export class SequenceExhaustedError extends ProtocolError {
	override readonly name = 'SequenceExhaustedError';
	readonly code = 'sequence_exhausted';
	readonly alert = AlertCode.internalError;
}

export class HostKeyRejectedError extends ProtocolError {
	override readonly name = 'HostKeyRejectedError';
	readonly code = 'host_key_rejected';
	readonly alert = AlertCode.hostKeyRejected;
}

export class AlertReceivedError extends ProtocolError {
	override readonly name = 'AlertReceivedError';
	readonly code = 'alert_received';
	readonly alert = undefined;

	constructor(
		stage: HandshakeStage,
		readonly alertCode: number,
		readonly reason: string,
	) {
		super(stage, `peer sent alert ${alertName(alertCode)}${reason ? `: ${reason}` : ''}`);
	}
}

export class ClosedError extends ProtocolError {
	override readonly name = 'ClosedError';
	readonly code = 'closed';
	readonly alert = undefined;
}

export class TimeoutError extends ProtocolError {
	override readonly name = 'TimeoutError';
	readonly code = 'timeout';
	readonly alert = AlertCode.timeout;
}

/** The application closes a peer that keeps misbehaving (a stream of malformed requests). */
export class PolicyViolationError extends ProtocolError {
	override readonly name = 'PolicyViolationError';
	readonly code = 'policy_violation';
	readonly alert = AlertCode.policyViolation;
}

export class InternalError extends ProtocolError {
	override readonly name = 'InternalError';
	readonly code = 'internal_error';
	readonly alert = AlertCode.internalError;
}

/** Anything thrown inside the machine that is not ours becomes an internal error, never a crash. */
export function asProtocolError(error: unknown, stage: HandshakeStage): ProtocolError {
	if (error instanceof ProtocolError) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new InternalError(stage, message);
}
