/**
 * A useReducer whose latest state can be read at once: `get()` returns the state after every
 * action dispatched so far, even before React re-renders. Key handlers read it, so keys typed
 * faster than the screen redraws (a paste, "yes⏎" arriving in one chunk) see each other's effect
 * instead of a stale closure.
 */
import {useCallback, useRef, useState, type Dispatch} from 'react';

export type Store<S, A> = {
	readonly state: S;
	readonly dispatch: Dispatch<A>;
	readonly get: () => S;
};

export function useSyncReducer<S, A>(reducer: (state: S, action: A) => S, initial: S): Store<S, A> {
	const latest = useRef(initial);
	const [state, setState] = useState(initial);
	const dispatch = useCallback(
		(action: A) => {
			const next = reducer(latest.current, action);
			if (next === latest.current) return;
			latest.current = next;
			setState(next);
		},
		[reducer],
	);
	const get = useCallback(() => latest.current, []);
	return {state, dispatch, get};
}
