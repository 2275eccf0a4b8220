/**
 * Which server connection is selected, by id (ids survive the list being pruned); undefined
 * follows the newest, as the handshake log does.
 */

export type ConnectionCursorAction =
	| {readonly type: 'move'; readonly delta: number; readonly ids: readonly number[]}
	| {readonly type: 'follow'}
	/** Stop following: keep this connection selected while its log is read. */
	| {readonly type: 'pin'; readonly id: number | undefined};

export function connectionCursorReducer(
	selectedId: number | undefined,
	action: ConnectionCursorAction,
): number | undefined {
	switch (action.type) {
		case 'move': {
			const {ids} = action;
			if (ids.length === 0) return selectedId;
			const index = selectedId === undefined ? ids.length - 1 : ids.indexOf(selectedId);
			const from = index === -1 ? ids.length - 1 : index;
			return ids[Math.max(0, Math.min(ids.length - 1, from + action.delta))];
		}

		case 'follow': {
			return undefined;
		}

		case 'pin': {
			return action.id;
		}
	}
}
