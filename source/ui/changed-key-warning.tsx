/**
 * The full-screen warning for a host key that differs from the one remembered, worded after
 * OpenSSH's "REMOTE HOST IDENTIFICATION HAS CHANGED!": both fingerprints, and the known_hosts file
 * and line to fix. The connection has been refused; q quits with exit code 3. Render-only.
 */
import {Box} from 'ink';
import React from 'react';
import {wrapText, type Line} from './format.js';
import type {TrustInfo} from './handshake-view.js';
import {LineList} from './pane.js';

export function changedKeyLines(trust: TrustInfo, width: number): Line[] {
	const banner = '@'.repeat(Math.min(width, 59));
	const title = 'WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!';
	const inner = Math.max(title.length, banner.length - 2);
	const titleLine = `@${title.padStart(Math.floor((inner + title.length) / 2)).padEnd(inner)}@`;
	const file = trust.knownHostsFile ?? 'known_hosts';
	const place = trust.knownHostsLine === undefined ? file : `${file}:${trust.knownHostsLine}`;
	const type = trust.keyType.toUpperCase();
	const text = (value: string, look: Omit<Line, 'text'> = {}) =>
		wrapText(value, width).map((part) => ({...look, text: part}));
	return [
		{text: banner, color: 'red', bold: true},
		{text: titleLine.slice(0, width), color: 'red', bold: true},
		{text: banner, color: 'red', bold: true},
		...text('IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!', {color: 'red', bold: true}),
		...text('Someone could be eavesdropping on you right now (man-in-the-middle attack)!', {
			color: 'red',
		}),
		...text('It is also possible that the host key has just been changed.', {color: 'red'}),
		...text(`The fingerprint for the ${type} key sent by the remote host ${trust.host} is`, {
			color: 'red',
		}),
		...text(`  ${trust.fingerprint}`, {bold: true}),
		...text('The fingerprint remembered for this host is', {color: 'red'}),
		...text(`  ${trust.knownFingerprint ?? '(unknown)'}`, {bold: true}),
		...text("Please contact the server's administrator.", {color: 'red'}),
		...text(`Add the correct host key in ${file} to get rid of this message.`, {color: 'red'}),
		...text(`Offending key in ${place}`, {color: 'red', bold: true}),
		...text(`Host key for ${trust.host} has changed and you have requested strict checking.`, {
			color: 'red',
		}),
		...text('Host key verification failed: the connection was refused.', {
			color: 'red',
			bold: true,
		}),
	];
}

export function ChangedKeyWarning({
	trust,
	width,
	height,
}: {
	readonly trust: TrustInfo;
	readonly width: number;
	readonly height: number;
}) {
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<LineList lines={changedKeyLines(trust, width)} />
		</Box>
	);
}
