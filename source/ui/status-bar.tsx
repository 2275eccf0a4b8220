/**
 * The status bar: the keys that work right now, generated from the key-binding table for the
 * active modes. Render-only; one line, truncated to the width.
 */
import {Box, Text} from 'ink';
import React from 'react';
import {statusBarEntries, type Mode} from './key-bindings.js';

export function statusBarText(modes: readonly Mode[]): string {
	return statusBarEntries(modes)
		.map(({label, description}) => `${label} ${description}`)
		.join(' · ');
}

export function StatusBar({
	modes,
	width,
}: {
	readonly modes: readonly Mode[];
	readonly width: number;
}) {
	return (
		<Box width={width} flexShrink={0}>
			<Text dimColor wrap="truncate-end">
				{statusBarText(modes)}
			</Text>
		</Box>
	);
}
