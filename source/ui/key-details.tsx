/**
 * The key details pane. Render-only: lines from key-details-lines.ts, scrolled by use-scroll-keys.ts.
 */
import React from 'react';
import type {HandshakeView} from './handshake-view.js';
import {keyDetailsLines} from './key-details-lines.js';
import {LineList, Pane, PANE_CHROME} from './pane.js';
import {visibleSlice} from './scroll.js';

export type KeyDetailsProps = {
	readonly view: HandshakeView;
	readonly width: number;
	readonly height: number;
	readonly top: number;
	readonly isFocused: boolean;
	// eslint-disable-next-line react/boolean-prop-naming -- named after the --show-secrets flag
	readonly showSecrets: boolean;
};

/** How far the pane can scroll at this size. */
export function keyDetailsScrollMax(
	view: HandshakeView,
	width: number,
	height: number,
	showSecrets: boolean,
): number {
	const lines = keyDetailsLines(view, width - PANE_CHROME.columns, showSecrets);
	return Math.max(0, lines.length - (height - PANE_CHROME.rows));
}

export function KeyDetails({
	view,
	width,
	height,
	top,
	isFocused: focused,
	showSecrets,
}: KeyDetailsProps) {
	const lines = keyDetailsLines(view, width - PANE_CHROME.columns, showSecrets);
	const inner = Math.max(1, height - PANE_CHROME.rows);
	const {shown, top: start} = visibleSlice(lines, top, inner);
	const more =
		lines.length > inner ? ` · ${start + 1}-${start + shown.length}/${lines.length}` : '';
	return (
		<Pane
			title={`Key details${showSecrets ? ' · secrets shown' : ''}${more}`}
			isFocused={focused}
			width={width}
			height={height}
		>
			<LineList lines={shown} />
		</Pane>
	);
}
