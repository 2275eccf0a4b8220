/**
 * Binds the trust prompt's keys (key-bindings.ts mode `trust`): typed text goes to the answer,
 * Enter decides (yes / no, or asks again).
 */
import {useInput} from 'ink';
import type {Dispatch} from 'react';
import {parseTrustAnswer, type ClientSessionAction, type TrustPrompt} from './client-session.js';
import {Command, commandFor, typedText} from './key-bindings.js';

export function useTrustKeys(
	prompt: TrustPrompt | undefined,
	dispatch: Dispatch<ClientSessionAction>,
	answer: (trusted: boolean) => void,
): void {
	useInput(
		(input, key) => {
			if (!prompt) return;
			const command = commandFor(['trust'], input, key);
			if (command === Command.TrustSubmit) {
				const decision = parseTrustAnswer(prompt.answer, prompt.key.fingerprint);
				if (decision === undefined) dispatch({type: 'trust-invalid'});
				else answer(decision);
				return;
			}

			if (command === Command.Erase) {
				dispatch({type: 'trust-erase'});
				return;
			}

			const text = typedText(input, key);
			if (text !== '') dispatch({type: 'trust-type', text});
		},
		{isActive: prompt !== undefined},
	);
}
