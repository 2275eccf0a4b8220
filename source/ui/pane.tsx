/**
 * A bordered pane with a title line, and a list of pre-computed lines. Render-only.
 *
 * Focus shows without colour too: a focused pane has a double border and a "▸" before its title.
 */
import {Box, Text} from 'ink';
import React, {type ReactNode} from 'react';
import type {Line} from './format.js';

/** Columns and rows a pane's border and padding take. */
export const PANE_CHROME = {columns: 4, rows: 3} as const;

export function Pane({
	title,
	isFocused: focused = false,
	width,
	height,
	color,
	children,
}: {
	readonly title: string;
	readonly isFocused?: boolean;
	readonly width: number;
	readonly height?: number;
	/** The border colour when not focused (a warning pane is red). */
	readonly color?: string;
	readonly children: ReactNode;
}) {
	return (
		<Box
			flexDirection="column"
			width={width}
			height={height}
			flexShrink={0}
			borderStyle={focused ? 'double' : 'round'}
			borderColor={focused ? 'cyan' : (color ?? 'gray')}
			paddingX={1}
			overflow="hidden"
		>
			<Text bold wrap="truncate-end" color={focused ? 'cyan' : color}>
				{focused ? '▸ ' : '  '}
				{title}
			</Text>
			{children}
		</Box>
	);
}

export function LineList({lines}: {readonly lines: readonly Line[]}) {
	return (
		<>
			{lines.map((line, index) => (
				<Text
					// Lines are positional: index is their identity.
					// eslint-disable-next-line react/no-array-index-key
					key={index}
					wrap="truncate-end"
					color={line.color}
					bold={line.bold}
					dimColor={line.dim}
					inverse={line.inverse}
				>
					{line.text === '' ? ' ' : line.text}
				</Text>
			))}
		</>
	);
}
