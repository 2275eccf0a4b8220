/**
 * The history table: time, kind, amount, balance after, counterparty. Pure lines, newest first as
 * the bank sends them, cut to the rows there are (the header says how many are shown).
 */
import type {HistoryEntry} from '../net/api.js';
import {formatCents} from '../bank/money.js';
import {formatShortDate, padEnd, padStart, truncate, type Line} from './format.js';

const kindText: Readonly<Record<HistoryEntry['kind'], string>> = {
	deposit: 'deposit',
	withdraw: 'withdraw',
	'transfer-in': 'transfer',
	'transfer-out': 'transfer',
};

/** Money leaving the account is shown negative. */
export function signedAmount(entry: HistoryEntry): string {
	const outgoing = entry.kind === 'withdraw' || entry.kind === 'transfer-out';
	return `${outgoing ? '-' : '+'}${formatCents(entry.amountCents)}`;
}

function counterparty(entry: HistoryEntry): string {
	if (!entry.counterparty) return '';
	return entry.kind === 'transfer-out' ? `to ${entry.counterparty}` : `from ${entry.counterparty}`;
}

export function historyRow(entry: HistoryEntry, width: number): string {
	const row = [
		padEnd(formatShortDate(entry.time), 11),
		padEnd(kindText[entry.kind], 8),
		padStart(signedAmount(entry), 13),
		padStart(formatCents(entry.balanceAfterCents), 13),
		counterparty(entry),
	].join(' ');
	return truncate(row.trimEnd(), width);
}

export function historyLines(
	entries: readonly HistoryEntry[],
	width: number,
	height: number,
): Line[] {
	if (entries.length === 0) return [{text: 'History: no operations yet', dim: true}];
	const rows = Math.max(0, height - 2);
	const shown = entries.slice(0, rows);
	const header = [
		padEnd('time', 11),
		padEnd('kind', 8),
		padStart('amount', 13),
		padStart('balance after', 13),
		'counterparty',
	].join(' ');
	return [
		{text: `History (${shown.length} of ${entries.length}, newest first)`, bold: true},
		{text: truncate(header, width), dim: true},
		...shown.map((entry) => ({
			text: historyRow(entry, width),
			color: entry.kind === 'deposit' || entry.kind === 'transfer-in' ? 'green' : undefined,
		})),
	];
}
