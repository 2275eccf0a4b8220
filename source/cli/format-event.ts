/**
 * One log line per event for plain mode (`--plain`), like `ssh -v`: what was sent, what was
 * checked, what was derived. Secrets appear only when the event carries them (--show-secrets).
 */
import type {ProtocolEvent} from '../protocol/events.js';

const mark = (ok: boolean) => (ok ? '✓' : '✗');

/** The event as one line, or undefined for events that plain mode does not log. */
export function formatEvent(event: ProtocolEvent): string | undefined {
	const line = formatEventBody(event);
	return line !== undefined && event.insecure && event.type !== 'message'
		? `[INSECURE] ${line}`
		: line;
}

function formatEventBody(event: ProtocolEvent): string | undefined {
	switch (event.type) {
		case 'message': {
			const fields = event.fields
				.filter((field) => field.short !== '(empty)')
				.map((field) => `${field.name}=${field.short}`)
				.join(' ');
			const insecure = event.insecure ? ' [INSECURE]' : '';
			return `${event.flow} ${event.direction === 'sent' ? 'sent' : 'received'} ${event.message} "${event.steps.join('" + "')}" (${event.size} B)${insecure} ${fields}`;
		}

		case 'check': {
			return `check ${mark(event.ok)} ${event.check}: ${event.detail}`;
		}

		case 'suite': {
			const notes = [
				event.suite.forwardSecrecy ? 'forward secrecy' : 'NO forward secrecy',
				...(event.suite.insecure ? ['INSECURE: teaching only'] : []),
			];
			return `suite ${event.suite.name} (${notes.join(', ')})`;
		}

		case 'host-key': {
			return `host key ${event.keyType} ${event.fingerprint}`;
		}

		case 'trust-needed': {
			return undefined;
		}

		case 'trust': {
			const where =
				event.knownHostsFile && event.knownHostsLine
					? ` (${event.knownHostsFile}:${event.knownHostsLine})`
					: '';
			return `trust ${event.status.toUpperCase()} ${event.keyType} ${event.fingerprint}${where}: ${event.detail}`;
		}

		case 'ephemeral-key': {
			return `ephemeral X25519 key (${event.owner}) ${event.publicKey}`;
		}

		case 'transcript': {
			return `transcript hash [${event.label}] ${event.hash}`;
		}

		case 'key': {
			return `derived ${event.name} (${event.length} B) fingerprint ${event.fingerprint}${event.secret ? ` SECRET ${event.secret}` : ''}`;
		}

		case 'handshake-complete': {
			return `handshake complete: ${event.suite.name}, host key ${event.hostKeyFingerprint}${event.forwardSecrecy ? '' : ', NO forward secrecy'}${event.insecure ? ', INSECURE' : ''}`;
		}

		case 'application-data': {
			return undefined;
		}

		case 'record': {
			return `record ${event.direction} #${event.sequence} ${event.contentType} (${event.size} B)`;
		}

		case 'key-update': {
			return `key update (${event.direction}, ${event.reason}): generation ${event.generation}, key ${event.fingerprint}`;
		}

		case 'keepalive': {
			return `keepalive ${event.direction}`;
		}

		case 'alert': {
			return `alert ${event.direction} ${event.description}${event.reason ? `: ${event.reason}` : ''}`;
		}

		case 'error': {
			return `error [${event.code}] ${event.message}`;
		}

		case 'closed': {
			return `closed: ${event.reason}`;
		}

		case 'listening': {
			return `listening on ${event.address}`;
		}

		case 'connection': {
			return `connection ${event.state} ${event.peer}${event.detail ? `: ${event.detail}` : ''}`;
		}

		case 'timing': {
			return `${event.what} took ${event.milliseconds.toFixed(1)} ms`;
		}
	}
}
