/**
 * Binds ↑/↓ (key-bindings.ts, mode `keys`) to a scrolled pane's position.
 */
import {useInput} from 'ink';
import type {Dispatch} from 'react';
import {Command, commandFor} from './key-bindings.js';
import type {ScrollAction} from './scroll.js';

export function useScrollKeys(
	dispatch: Dispatch<ScrollAction>,
	options: {readonly max: number; readonly isActive: boolean},
): void {
	const {max, isActive} = options;
	useInput(
		(input, key) => {
			const command = commandFor(['keys'], input, key);
			if (command === Command.KeysScrollUp) dispatch({type: 'scroll', delta: -1, max});
			if (command === Command.KeysScrollDown) dispatch({type: 'scroll', delta: 1, max});
		},
		{isActive},
	);
}
