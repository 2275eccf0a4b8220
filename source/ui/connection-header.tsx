/**
 * The client's header: server address, connection state, suite, forward secrecy and an INSECURE
 * badge for the teaching suites. Render-only, two lines, each kept within the width.
 */
import {Box, Text} from 'ink';
import React from 'react';
import type {ConnectionState, HandshakeView} from './handshake-view.js';

const stateColors: Readonly<Record<ConnectionState, string>> = {
	connecting: 'yellow',
	handshaking: 'yellow',
	'awaiting trust': 'magenta',
	secure: 'green',
	closed: 'red',
};

export type ConnectionHeaderProps = {
	readonly target: string;
	readonly view: HandshakeView;
	readonly width: number;
	/** Shown before the address: "securebank" or "client". */
	readonly label?: string;
	// eslint-disable-next-line react/boolean-prop-naming -- named after the --show-secrets flag
	readonly showSecrets?: boolean;
};

export function ConnectionHeader({
	target,
	view,
	width,
	label = 'securebank',
	showSecrets = false,
}: ConnectionHeaderProps) {
	const {suite} = view;
	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			<Text wrap="truncate-end">
				<Text bold>{label}</Text>
				<Text> → {target} · </Text>
				<Text bold color={stateColors[view.state]}>
					{view.state}
				</Text>
				{showSecrets ? <Text color="yellow"> · SECRETS SHOWN</Text> : null}
			</Text>
			<Text wrap="truncate-end">
				{suite ? (
					<>
						<Text>suite {suite.name} · forward secrecy </Text>
						<Text color={suite.forwardSecrecy ? 'green' : 'yellow'}>
							{suite.forwardSecrecy ? 'yes' : 'no'}
						</Text>
						{suite.insecure ? (
							<Text bold color="white" backgroundColor="red">
								{' INSECURE '}
							</Text>
						) : null}
					</>
				) : (
					<Text dimColor>suite: not negotiated yet · forward secrecy: unknown</Text>
				)}
			</Text>
		</Box>
	);
}
