/**
 * First contact with a host: its key type and fingerprint, and OpenSSH's question, answered by
 * typing yes or no and Enter. Render-only: state in client-session.ts, keys in use-trust-keys.ts.
 */
import React from 'react';
import type {TrustPrompt as TrustPromptState} from './client-session.js';
import {wrapText, type Line} from './format.js';
import {LineList, Pane, PANE_CHROME} from './pane.js';

export const TRUST_QUESTION = 'Trust this host and remember it? (yes/no)';

export function trustPromptLines(prompt: TrustPromptState, width: number): Line[] {
	const {key} = prompt;
	const wrap = (text: string, look: Omit<Line, 'text'> = {}) =>
		wrapText(text, width).map((part) => ({...look, text: part}));
	return [
		...wrap(`The authenticity of host '${key.host}' can't be established.`),
		...wrap(`${key.keyType.toUpperCase()} key fingerprint is ${key.fingerprint}.`, {bold: true}),
		...wrap(`This key is not known by any other names; it is not in ${key.knownHostsFile}.`, {
			dim: true,
		}),
		...wrap(`${TRUST_QUESTION} ${prompt.answer}▏`, {color: 'yellow', bold: true}),
		...(prompt.error ? wrap(prompt.error, {color: 'red'}) : []),
	];
}

export function TrustPrompt({
	prompt,
	width,
	height,
}: {
	readonly prompt: TrustPromptState;
	readonly width: number;
	readonly height: number;
}) {
	return (
		<Pane isFocused title="New host: trust it?" width={width} height={height} color="yellow">
			<LineList lines={trustPromptLines(prompt, width - PANE_CHROME.columns)} />
		</Pane>
	);
}
