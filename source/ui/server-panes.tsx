/**
 * The server screen's panes: the header (address, host keys, counts), the connection list and the
 * ledger feed. Render-only; lines are computed by the exported functions so tests can read them.
 */
import {Box, Text} from 'ink';
import React from 'react';
import type {LedgerActivity, ServerController} from '../net/api.js';
import {formatCents} from '../bank/money.js';
import {formatClock, truncate, type Line} from './format.js';
import {LineList, Pane, PANE_CHROME} from './pane.js';
import {windowStart} from './handshake-log-lines.js';
import type {ServerConnectionState, ServerConnectionView, ServerView} from './server-view.js';

const stateColors: Readonly<Record<ServerConnectionState, string>> = {
	handshaking: 'yellow',
	secure: 'green',
	closed: 'gray',
	failed: 'red',
};

export function countsText(view: ServerView): string {
	const {counts} = view;
	return `connections ${counts.connections} (${counts.open} open) · handshakes ok ${counts.handshakesOk} / failed ${counts.handshakesFailed} · operations ${counts.operations}`;
}

/** One line for the address and counts, one per host key. */
export function serveHeaderLineCount(controller: ServerController): number {
	return 2 + controller.hostKeys.length;
}

export function ServeHeader({
	controller,
	view,
	width,
	stopping,
}: {
	readonly controller: ServerController;
	readonly view: ServerView;
	readonly width: number;
	readonly stopping: string | undefined;
}) {
	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			<Text wrap="truncate-end">
				<Text bold>securebank serve</Text>
				<Text> · listening on </Text>
				<Text bold color="green">
					{controller.address}
				</Text>
				{stopping ? <Text color="yellow"> · {stopping}</Text> : null}
			</Text>
			{controller.hostKeys.map((key) => (
				<Text key={key.fingerprint} wrap="truncate-end">
					host key {key.type} {key.fingerprint}
				</Text>
			))}
			<Text dimColor wrap="truncate-end">
				{countsText(view)}
			</Text>
		</Box>
	);
}

/** Two lines per connection: who and in what state; then account, operations and suite. */
export function connectionLines(
	connection: ServerConnectionView,
	selected: boolean,
	focused: boolean,
	width: number,
): Line[] {
	const suite = connection.handshake.suite?.name ?? 'suite not chosen';
	const account = connection.account ?? 'not logged in';
	return [
		{
			text: truncate(
				`${selected ? '›' : ' '}#${connection.id} ${connection.peer} · ${connection.state}`,
				width,
			),
			color: stateColors[connection.state],
			inverse: selected && focused,
			bold: selected,
		},
		{
			text: truncate(`   ${account} · ${connection.operations} ops · ${suite}`, width),
			dim: !selected,
		},
	];
}

export function ConnectionList({
	view,
	selectedId,
	width,
	height,
	isFocused: focused,
}: {
	readonly view: ServerView;
	readonly selectedId: number | undefined;
	readonly width: number;
	readonly height: number;
	readonly isFocused: boolean;
}) {
	const inner = {
		width: width - PANE_CHROME.columns,
		height: Math.max(2, height - PANE_CHROME.rows),
	};
	const {connections} = view;
	const selected = connections.findIndex((connection) => connection.id === selectedId);
	const index = selected === -1 ? connections.length - 1 : selected;
	const fits = Math.max(1, Math.floor(inner.height / 2));
	const start = windowStart(index, connections.length, fits, selected === -1);
	const lines =
		connections.length === 0
			? [{text: 'no connections yet', dim: true}]
			: connections
					.slice(start, start + fits)
					.flatMap((connection, offset) =>
						connectionLines(connection, start + offset === index, focused, inner.width),
					);
	return (
		<Pane
			title={`Connections · ${view.counts.open} open / ${view.counts.connections}`}
			isFocused={focused}
			width={width}
			height={height}
		>
			<LineList lines={lines} />
		</Pane>
	);
}

export function ledgerLine(activity: LedgerActivity, width: number): Line {
	const parsed = Date.parse(activity.time);
	const time = formatClock(Number.isNaN(parsed) ? undefined : parsed);
	const amount = activity.amountCents === undefined ? '' : ` ${formatCents(activity.amountCents)}`;
	const balance =
		activity.balanceAfterCents === undefined ? '' : ` → ${formatCents(activity.balanceAfterCents)}`;
	const text = `${time} #${activity.connectionId} ${activity.account === '' ? '-' : activity.account} ${activity.kind}${amount}${balance} ${activity.ok ? '✓' : '✗'} ${activity.detail}`;
	return {text: truncate(text, width), color: activity.ok ? undefined : 'red'};
}

export function LedgerFeed({
	ledger,
	width,
	height,
}: {
	readonly ledger: readonly LedgerActivity[];
	readonly width: number;
	readonly height: number;
}) {
	const inner = Math.max(1, height - PANE_CHROME.rows);
	const lines =
		ledger.length === 0
			? [{text: 'no ledger activity yet', dim: true}]
			: ledger.slice(-inner).map((activity) => ledgerLine(activity, width - PANE_CHROME.columns));
	return (
		<Pane title={`Ledger activity · ${ledger.length}`} width={width} height={height}>
			<LineList lines={lines} />
		</Pane>
	);
}
