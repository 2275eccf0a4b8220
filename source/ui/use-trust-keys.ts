/**
 * Binds the trust prompt's keys (key-bindings.ts mode `trust`): typed text goes to the answer,
 * Enter submits it; the reducer decides (yes / no, or asks again), so nothing here reads state.
 */
import {useInput} from 'ink';
import type {Dispatch} from 'react';
import type {ClientSessionAction} from './client-session.js';
import {Command, commandFor, pastedLines, typedText} from './key-bindings.js';

export function useTrustKeys(dispatch: Dispatch<ClientSessionAction>, isActive: boolean): void {
	useInput(
		(input, key) => {
			const lines = pastedLines(input);
			if (lines) {
				for (const [index, line] of lines.entries()) {
					if (index > 0) dispatch({type: 'trust-submit'});
					const text = typedText(line, key);
					if (text !== '') dispatch({type: 'trust-type', text});
				}

				return;
			}

			const command = commandFor(['trust'], input, key);
			if (command === Command.TrustSubmit) {
				dispatch({type: 'trust-submit'});
				return;
			}

			if (command === Command.Erase) {
				dispatch({type: 'trust-erase'});
				return;
			}

			const text = typedText(input, key);
			if (text !== '') dispatch({type: 'trust-type', text});
		},
		{isActive},
	);
}
