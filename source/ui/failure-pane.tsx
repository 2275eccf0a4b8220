/**
 * Why the connection failed, in words (never a stack trace), in place of the bank pane: the
 * handshake log beside it still shows which step and check stopped it. Render-only.
 */
import React from 'react';
import {wrapText, type Line} from './format.js';
import {LineList, Pane, PANE_CHROME} from './pane.js';

export function failureLines(
	message: string,
	detail: string | undefined,
	exitCode: number,
	width: number,
): Line[] {
	return [
		...wrapText(message, width).map((text) => ({text, color: 'red', bold: true})),
		...(detail ? wrapText(detail, width).map((text) => ({text, color: 'red'})) : []),
		...wrapText('The handshake log shows the step and check where it stopped.', width).map(
			(text) => ({text, dim: true}),
		),
		...wrapText(`Press q to quit (exit code ${exitCode}).`, width).map((text) => ({text})),
	];
}

export function FailurePane({
	message,
	detail,
	exitCode,
	width,
	height,
}: {
	readonly message: string;
	readonly detail?: string;
	readonly exitCode: number;
	readonly width: number;
	readonly height: number;
}) {
	return (
		<Pane title="Connection failed" width={width} height={height} color="red">
			<LineList
				lines={failureLines(message, detail, exitCode, width - PANE_CHROME.columns).slice(
					0,
					Math.max(1, height - PANE_CHROME.rows),
				)}
			/>
		</Pane>
	);
}
