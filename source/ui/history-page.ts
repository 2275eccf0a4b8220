/**
 * The history page the bank pane shows, and how to turn it. The protocol pages the history newest
 * first (PROTOCOL.md §11): a page's `nextBefore`, sent as `before`, asks for the next older page,
 * and null means there is none. Only the page shown is kept, with the `before` values that led to
 * it from the newest page: a stack, so going back to a newer page asks the bank again for it.
 * Pure functions; bank-view.ts turns them into requests.
 */
import type {HistoryEntry} from '../net/api.js';

/** One step from a history page to the next older one. */
export type HistoryStep = {
	/** The `before` sent: the `nextBefore` of the page before. */
	readonly before: number;
	/** How many entries the newer pages held: this page's first entry is number skipped + 1. */
	readonly skipped: number;
};

/** The history page shown. */
export type HistoryView = {
	/** Newest first, as the bank sends them. */
	readonly entries: readonly HistoryEntry[];
	/** The `before` for the next older page; null when this page is the oldest. */
	readonly nextBefore: number | null;
	/** The steps from the newest page to this one (the last is this page's): empty on the newest. */
	readonly steps: readonly HistoryStep[];
};

/** How many entries are newer than the page shown: its first entry is number historyOffset + 1. */
export function historyOffset(history: HistoryView): number {
	return history.steps.at(-1)?.skipped ?? 0;
}

/** The steps to the next older page, or undefined when this page is the oldest. */
export function olderSteps(history: HistoryView): readonly HistoryStep[] | undefined {
	if (history.nextBefore === null) return undefined;
	const skipped = historyOffset(history) + history.entries.length;
	return [...history.steps, {before: history.nextBefore, skipped}];
}

/** The steps back to the newer page this one was reached from, or undefined on the newest page. */
export function newerSteps(history: HistoryView): readonly HistoryStep[] | undefined {
	return history.steps.length === 0 ? undefined : history.steps.slice(0, -1);
}

/** The result line under the menu once a page has arrived. */
export function historyMessage(history: HistoryView): string {
	const count = history.entries.length;
	if (history.steps.length > 0) {
		if (count === 0) return '✓ No older operations';
		const first = historyOffset(history) + 1;
		return `✓ Operations ${first}-${first + count - 1}`;
	}

	if (count === 0) return '✓ No operations yet';
	return `✓ Last ${count} operation${count === 1 ? '' : 's'}`;
}
