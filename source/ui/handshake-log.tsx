/**
 * The handshake log pane: one line per event (time, direction, the original design's step names,
 * message, short fields, size, checks ✓/✗), or the selected entry expanded in full. Render-only:
 * the selection comes from log-cursor.ts, the keys from use-log-keys.ts.
 */
import React from 'react';
import {handshakeLogLines} from './handshake-log-lines.js';
import type {LogEntry} from './handshake-view.js';
import type {LogCursor} from './log-cursor.js';
import {LineList, Pane, PANE_CHROME} from './pane.js';

export type HandshakeLogProps = {
	readonly title: string;
	readonly entries: readonly LogEntry[];
	readonly cursor: LogCursor;
	readonly width: number;
	readonly height: number;
	readonly isFocused: boolean;
	// eslint-disable-next-line react/boolean-prop-naming -- named after the --show-secrets flag
	readonly showSecrets: boolean;
};

export function HandshakeLog({
	title,
	entries,
	cursor,
	width,
	height,
	isFocused: focused,
	showSecrets,
}: HandshakeLogProps) {
	const {lines, position, expanded} = handshakeLogLines(entries, cursor, {
		width: width - PANE_CHROME.columns,
		height: Math.max(1, height - PANE_CHROME.rows),
		focused,
		showSecrets,
	});
	const heading = expanded ? `${title} · entry ${position} (expanded)` : `${title} · ${position}`;
	return (
		<Pane title={heading} isFocused={focused} width={width} height={height}>
			<LineList lines={lines} />
		</Pane>
	);
}
