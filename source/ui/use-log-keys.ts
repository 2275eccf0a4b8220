/**
 * Binds the handshake log's keys (key-bindings.ts, modes `log` and `log-detail`) to its cursor
 * reducer. Active only while the log pane has focus.
 */
import {useInput} from 'ink';
import {useReducer, type Dispatch} from 'react';
import {Command, commandFor} from './key-bindings.js';
import {initialLogCursor, logCursorReducer, type LogCursor, type LogCursorAction} from './log-cursor.js';

/** The cursor's state and dispatch, for a pane whose keys are bound with useLogKeys. */
export function useLogCursor(): [LogCursor, Dispatch<LogCursorAction>] {
	return useReducer(logCursorReducer, initialLogCursor);
}

export function useLogKeys(
	cursor: LogCursor,
	dispatch: Dispatch<LogCursorAction>,
	options: {
		readonly count: number;
		readonly pageSize: number;
		/** How far the expanded entry can scroll (detailScrollMax). */
		readonly detailMax: number;
		readonly isActive: boolean;
	},
): void {
	const {count, pageSize, detailMax, isActive} = options;
	useInput(
		(input, key) => {
			const command = commandFor([cursor.expanded ? 'log-detail' : 'log'], input, key);
			switch (command) {
				case Command.LogPrevious: {
					dispatch({type: 'move', delta: -1, count});
					break;
				}

				case Command.LogNext: {
					dispatch({type: 'move', delta: 1, count});
					break;
				}

				case Command.LogPageUp: {
					dispatch({type: 'move', delta: -pageSize, count});
					break;
				}

				case Command.LogPageDown: {
					dispatch({type: 'move', delta: pageSize, count});
					break;
				}

				case Command.LogFirst: {
					dispatch({type: 'first', count});
					break;
				}

				case Command.LogLast: {
					dispatch({type: 'last'});
					break;
				}

				case Command.LogExpand: {
					dispatch({type: 'expand', count});
					break;
				}

				case Command.LogCollapse: {
					dispatch({type: 'collapse'});
					break;
				}

				case Command.DetailScrollUp: {
					dispatch({type: 'scroll', delta: -1, max: detailMax});
					break;
				}

				case Command.DetailScrollDown: {
					dispatch({type: 'scroll', delta: 1, max: detailMax});
					break;
				}

				default: {
					break;
				}
			}
		},
		{isActive},
	);
}
