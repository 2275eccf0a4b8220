/**
 * The handshake log's selection: which entry is selected, whether it is expanded, and how far the
 * expanded view is scrolled. Until the user moves, the selection follows the newest entry, so a
 * live log keeps scrolling; moving pins it, End follows again.
 */

export type LogCursor = {
	/** Index of the selected entry; undefined: follow the newest. */
	readonly selected: number | undefined;
	readonly expanded: boolean;
	/** First line shown of the expanded entry. */
	readonly detailTop: number;
};

export const initialLogCursor: LogCursor = {selected: undefined, expanded: false, detailTop: 0};

export type LogCursorAction =
	| {readonly type: 'move'; readonly delta: number; readonly count: number}
	| {readonly type: 'first'; readonly count: number}
	| {readonly type: 'last'}
	| {readonly type: 'expand'; readonly count: number}
	| {readonly type: 'collapse'}
	/** `max` is the last useful first line (lines - height), so scrolling never overshoots. */
	| {readonly type: 'scroll'; readonly delta: number; readonly max: number};

/** The entry actually selected, given how many entries there are (-1 when there are none). */
export function selectedIndex(cursor: LogCursor, count: number): number {
	if (count === 0) return -1;
	return cursor.selected === undefined ? count - 1 : Math.min(cursor.selected, count - 1);
}

export function logCursorReducer(cursor: LogCursor, action: LogCursorAction): LogCursor {
	switch (action.type) {
		case 'move': {
			if (action.count === 0) return cursor;
			const from = selectedIndex(cursor, action.count);
			const to = Math.max(0, Math.min(action.count - 1, from + action.delta));
			return {...cursor, selected: to, expanded: false, detailTop: 0};
		}

		case 'first': {
			return action.count === 0 ? cursor : {selected: 0, expanded: false, detailTop: 0};
		}

		case 'last': {
			return initialLogCursor;
		}

		case 'expand': {
			if (action.count === 0) return cursor;
			// Expanding pins the selection, so new entries do not swap the expanded one.
			return {selected: selectedIndex(cursor, action.count), expanded: true, detailTop: 0};
		}

		case 'collapse': {
			return {...cursor, expanded: false, detailTop: 0};
		}

		case 'scroll': {
			if (!cursor.expanded) return cursor;
			return {
				...cursor,
				detailTop: Math.max(0, Math.min(action.max, cursor.detailTop + action.delta)),
			};
		}
	}
}
