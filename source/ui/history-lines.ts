/**
 * The history table: time, kind, amount, balance after, counterparty. Pure lines, one page newest
 * first as the bank sends it, cut to the rows there are. The header numbers the entries shown
 * (1 is the newest), gives the total once the oldest page is reached, and names the keys that page.
 */
import type {HistoryEntry} from '../net/api.js';
import {formatCents} from '../bank/money.js';
import {historyOffset, type HistoryView} from './history-page.js';
import {formatShortDate, padEnd, padStart, truncate, type Line} from './format.js';
import {Command, keyLabel} from './key-bindings.js';

/** Lines above the rows: the title and the column names. */
export const HISTORY_HEADER_ROWS = 2;

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

/**
 * "History (entries 11-20, newest first) · older: PgDn · newer: PgUp"; "of 25" once the oldest
 * page is reached. The keys are left out when the line would not fit (the status bar has them).
 */
export function historyTitle(history: HistoryView, shownCount: number, width: number): string {
	const {entries, nextBefore, steps} = history;
	const first = historyOffset(history) + 1;
	const last = first + entries.length - 1;
	const shownLast = first + shownCount - 1;
	const range =
		entries.length === 0
			? 'no older operations'
			: shownCount < entries.length
				? `entries ${first}-${shownLast} of this page's ${first}-${last}, newest first`
				: `entries ${first}-${last}${nextBefore === null ? ` of ${last}` : ''}, newest first`;
	const title = `History (${range})`;
	const keys = [
		...(nextBefore === null ? [] : [`older: ${keyLabel(Command.HistoryOlder)}`]),
		...(steps.length === 0 ? [] : [`newer: ${keyLabel(Command.HistoryNewer)}`]),
	];
	const full = [title, ...keys].join(' · ');
	return truncate([...full].length <= width ? full : title, width);
}

export function historyLines(history: HistoryView, width: number, height: number): Line[] {
	const {entries} = history;
	if (entries.length === 0 && history.steps.length === 0)
		return [{text: 'History: no operations yet', dim: true}];
	const rows = Math.max(0, height - HISTORY_HEADER_ROWS);
	const shown = entries.slice(0, rows);
	const header = [
		padEnd('time', 11),
		padEnd('kind', 8),
		padStart('amount', 13),
		padStart('balance after', 13),
		'counterparty',
	].join(' ');
	return [
		{text: historyTitle(history, shown.length, width), bold: true},
		{text: truncate(header, width), dim: true},
		...shown.map((entry) => ({
			text: historyRow(entry, width),
			color: entry.kind === 'deposit' || entry.kind === 'transfer-in' ? 'green' : undefined,
		})),
	];
}
