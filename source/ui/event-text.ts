/**
 * How each ProtocolEvent reads in the handshake log: one short line for the list, and every
 * property in full for the expanded view. Raw secrets are only ever in `secret` fields, present
 * only with --show-secrets; application data (which carries passwords and amounts) is not shown.
 */
import type {ProtocolEvent} from '../protocol/events.js';
import type {Tone} from './format.js';

export type EventLine = {readonly text: string; readonly tone: Tone};

function quoted(steps: readonly string[]): string {
	return steps.map((step) => `“${step}”`).join(' + ');
}

/** The one-line summary of an event, or undefined for events the log does not list. */
export function summarizeEvent(event: ProtocolEvent): EventLine | undefined {
	switch (event.type) {
		case 'message': {
			const fields = event.fields.map((field) => `${field.name}=${field.short}`).join(' ');
			return {
				text: `${event.flow} ${quoted(event.steps)} ${event.message} ${event.size} B · ${fields}`,
				tone: event.insecure ? 'warn' : 'accent',
			};
		}

		case 'check': {
			return {
				text: `${event.ok ? '✓' : '✗'} ${event.check}: ${event.detail}`,
				tone: event.ok ? 'ok' : 'bad',
			};
		}

		case 'suite': {
			const badge = event.suite.insecure ? ' INSECURE' : '';
			return {
				text: `suite ${event.suite.name}${badge}`,
				tone: event.suite.insecure ? 'warn' : 'normal',
			};
		}

		case 'host-key': {
			return {text: `host key ${event.keyType} ${event.fingerprint}`, tone: 'normal'};
		}

		case 'trust-needed': {
			return {
				text: `? trust decision needed for ${event.keyType} ${event.fingerprint}`,
				tone: 'warn',
			};
		}

		case 'trust': {
			const tone: Tone =
				event.status === 'changed' || event.status === 'rejected'
					? 'bad'
					: event.status === 'new'
						? 'warn'
						: 'ok';
			return {text: `trust ${event.host}: ${event.status.toUpperCase()} · ${event.detail}`, tone};
		}

		case 'ephemeral-key': {
			return {
				text: `ephemeral key (${event.owner}) ${event.publicKey.slice(0, 16)}…`,
				tone: 'normal',
			};
		}

		case 'transcript': {
			return {text: `transcript hash [${event.label}] ${event.hash.slice(0, 16)}…`, tone: 'normal'};
		}

		case 'key': {
			return {text: `key ${event.name} · fp ${event.fingerprint} (${event.length} B)`, tone: 'dim'};
		}

		case 'handshake-complete': {
			const secrecy = event.forwardSecrecy ? 'forward secrecy' : 'NO forward secrecy';
			return {
				text: `✓ secure channel: ${event.suite.name} · ${secrecy}${event.insecure ? ' · INSECURE' : ''}`,
				tone: event.insecure ? 'warn' : 'ok',
			};
		}

		case 'application-data': {
			return undefined;
		}

		case 'record': {
			const arrow = event.direction === 'sent' ? '→' : '←';
			return {
				text: `${arrow} record #${event.sequence} ${event.contentType} ${event.size} B`,
				tone: 'dim',
			};
		}

		case 'key-update': {
			return {
				text: `key update (${event.direction}, generation ${event.generation}, ${event.reason}) fp ${event.fingerprint}`,
				tone: 'normal',
			};
		}

		case 'keepalive': {
			return {text: `keepalive ${event.direction}`, tone: 'dim'};
		}

		case 'alert': {
			return {
				text: `alert ${event.direction}: ${event.description} (${event.code}) ${event.reason}`,
				tone: event.code === 0 ? 'dim' : 'bad',
			};
		}

		case 'error': {
			return {text: `✗ ${event.code}: ${event.message}`, tone: 'bad'};
		}

		case 'closed': {
			return {text: `closed: ${event.reason}`, tone: 'dim'};
		}

		case 'listening': {
			return {text: `listening on ${event.address}`, tone: 'normal'};
		}

		case 'connection': {
			const tone: Tone = event.state === 'lost' || event.state === 'refused' ? 'bad' : 'normal';
			return {
				text: `connection ${event.state} ${event.peer}${event.detail ? ` · ${event.detail}` : ''}`,
				tone,
			};
		}

		case 'timing': {
			return {text: `⏱ ${event.what}: ${event.milliseconds.toFixed(1)} ms`, tone: 'dim'};
		}
	}
}

function valueText(value: unknown): string {
	if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
	if (typeof value === 'bigint') return value.toString();
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return JSON.stringify(value, (_key, inner: unknown) =>
		typeof inner === 'bigint' ? inner.toString() : inner,
	);
}

/** The expanded view's parts: a purpose line, and every field with its full value and note. */
export type EventDetail = {
	readonly title: string;
	readonly purpose?: string;
	readonly fields: ReadonlyArray<{
		readonly name: string;
		readonly value: string;
		readonly note?: string;
	}>;
};

export function eventDetail(event: ProtocolEvent, showSecrets: boolean): EventDetail {
	if (event.type === 'message') {
		return {
			title: `${event.flow} ${quoted(event.steps)} ${event.message} · ${event.size} B · ${event.direction} by ${event.role}`,
			purpose: event.purpose,
			fields: event.fields.map((field) => ({
				name: field.name,
				value: field.full,
				...(field.note === undefined ? {} : {note: field.note}),
			})),
		};
	}

	if (event.type === 'suite' || event.type === 'handshake-complete') {
		const {suite} = event;
		return {
			title: summarizeEvent(event)?.text ?? event.type,
			fields: [
				{name: 'suite', value: `${suite.name} (0x${suite.id.toString(16).padStart(4, '0')})`},
				{name: 'key exchange', value: suite.parts.keyExchange},
				{name: 'signature', value: suite.parts.signature},
				{name: 'records', value: suite.parts.records},
				{name: 'hash', value: suite.parts.hash},
				{name: 'forward secrecy', value: suite.forwardSecrecy ? 'yes' : 'no'},
				...(event.type === 'suite'
					? [{name: 'offered', value: event.offered.join(', ') || '(not reported)'}]
					: []),
				...(event.type === 'handshake-complete'
					? [{name: 'host key fingerprint', value: event.hostKeyFingerprint}]
					: []),
			],
		};
	}

	const fields = Object.entries(event)
		.filter(([name]) => name !== 'type' && name !== 'suite' && (name !== 'secret' || showSecrets))
		.filter(([name]) => !(event.type === 'application-data' && name === 'data'))
		.map(([name, value]) => ({name, value: valueText(value)}));
	return {title: summarizeEvent(event)?.text ?? event.type, fields};
}
