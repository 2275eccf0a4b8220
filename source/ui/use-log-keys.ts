/**
 * Binds the handshake log's keys (key-bindings.ts, modes `log` and `log-detail`) to its cursor
 * reducer. Active only while the log pane has focus.
 */
import {useInput} from 'ink';
import {Command, commandFor} from './key-bindings.js';
import {
	initialLogCursor,
	logCursorReducer,
	type LogCursor,
	type LogCursorAction,
} from './log-cursor.js';
import {useSyncReducer, type Store} from './use-sync-reducer.js';

export type LogCursorStore = Store<LogCursor, LogCursorAction>;

/** The cursor of a log pane whose keys are bound with useLogKeys. */
export function useLogCursor(): LogCursorStore {
	return useSyncReducer(logCursorReducer, initialLogCursor);
}

type LogSize = {readonly count: number; readonly pageSize: number; readonly detailMax: number};

/** What each log command does, given the log's size: the key table says which key. */
const commandActions: Partial<Record<Command, (size: LogSize) => LogCursorAction>> = {
	[Command.LogPrevious]: ({count}) => ({type: 'move', delta: -1, count}),
	[Command.LogNext]: ({count}) => ({type: 'move', delta: 1, count}),
	[Command.LogPageUp]: ({count, pageSize}) => ({type: 'move', delta: -pageSize, count}),
	[Command.LogPageDown]: ({count, pageSize}) => ({type: 'move', delta: pageSize, count}),
	[Command.LogFirst]: ({count}) => ({type: 'first', count}),
	[Command.LogLast]: () => ({type: 'last'}),
	[Command.LogExpand]: ({count}) => ({type: 'expand', count}),
	[Command.LogCollapse]: () => ({type: 'collapse'}),
	[Command.DetailScrollUp]: ({detailMax}) => ({type: 'scroll', delta: -1, max: detailMax}),
	[Command.DetailScrollDown]: ({detailMax}) => ({type: 'scroll', delta: 1, max: detailMax}),
};

export function useLogKeys(
	{get, dispatch}: LogCursorStore,
	options: LogSize & {
		/** Only while the pane has focus. */
		readonly isActive: boolean;
	},
): void {
	const {isActive} = options;
	useInput(
		(input, key) => {
			const command = commandFor([get().expanded ? 'log-detail' : 'log'], input, key);
			const action = command === undefined ? undefined : commandActions[command];
			if (action) dispatch(action(options));
		},
		{isActive},
	);
}
