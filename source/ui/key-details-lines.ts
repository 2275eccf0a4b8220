/**
 * The key details pane's lines: the suite and what each part does, the host key with its
 * fingerprint and trust status, the ephemeral public keys, the transcript hash and the derived
 * keys' fingerprints (their raw values only with --show-secrets). Pure: computed from the view.
 */
import type {TrustStatus} from '../protocol/events.js';
import {wrapText, type Line} from './format.js';
import type {HandshakeView} from './handshake-view.js';

/** Trust statuses as the pane shows them: a changed key shouts. */
export function trustLabel(status: TrustStatus): string {
	return status === 'changed' ? 'CHANGED' : status;
}

function trustColor(status: TrustStatus): string {
	if (status === 'changed' || status === 'rejected') return 'red';
	return status === 'new' ? 'yellow' : 'green';
}

function indented(text: string, width: number, look: Omit<Line, 'text'> = {}, indent = 2): Line[] {
	const pad = ' '.repeat(indent);
	return wrapText(text, width - indent).map((part) => ({...look, text: pad + part}));
}

export function keyDetailsLines(view: HandshakeView, width: number, showSecrets: boolean): Line[] {
	const lines: Line[] = [];
	const heading = (text: string, color?: string) => {
		lines.push(
			...wrapText(text, width).map((part) => ({text: part, bold: true, ...(color ? {color} : {})})),
		);
	};

	const {suite} = view;
	if (suite) {
		heading(
			`Suite ${suite.name}${suite.insecure ? ' INSECURE' : ''}`,
			suite.insecure ? 'red' : undefined,
		);
		lines.push(
			...indented(`key exchange: ${suite.parts.keyExchange}`, width),
			...indented(`signature: ${suite.parts.signature}`, width),
			...indented(`records: ${suite.parts.records}`, width),
			...indented(`hash: ${suite.parts.hash}`, width),
			...indented(`forward secrecy: ${suite.forwardSecrecy ? 'yes' : 'NO'}`, width, {
				color: suite.forwardSecrecy ? 'green' : 'yellow',
			}),
		);
	} else {
		lines.push({text: 'Suite: not chosen yet', dim: true});
	}

	if (view.hostKey) {
		heading(`Host key ${view.hostKey.keyType}`);
		lines.push(...indented(view.hostKey.fingerprint, width));
	}

	if (view.trust) {
		const {trust} = view;
		lines.push(
			...indented(`trust: ${trustLabel(trust.status)} · ${trust.detail}`, width, {
				color: trustColor(trust.status),
			}),
		);
		if (trust.knownFingerprint) lines.push(...indented(`known: ${trust.knownFingerprint}`, width));
	} else if (view.hostKey) {
		lines.push(...indented('trust: not decided yet', width, {dim: true}));
	}

	const {client, server} = view.ephemeralKeys;
	if (client ?? server) {
		heading('Ephemeral public keys');
		if (client) lines.push(...indented(`client ${client}`, width));
		if (server) lines.push(...indented(`server ${server}`, width));
	}

	for (const transcript of view.transcripts) {
		heading(`Transcript hash [${transcript.label}]`);
		lines.push(...indented(transcript.hash, width));
	}

	if (view.keys.length > 0) {
		heading('Derived keys (fingerprints)');
		for (const key of view.keys) {
			lines.push(...indented(`${key.name}: ${key.fingerprint} (${key.length} B)`, width));
			if (showSecrets && key.secret) {
				lines.push(...indented(`secret ${key.secret}`, width, {color: 'yellow'}, 4));
			}
		}
	}

	return lines;
}
