/**
 * Binds commands of the given modes to handlers: the app-level keys (Tab between panes, q).
 */
import {useInput} from 'ink';
import {commandFor, type Command, type Mode} from './key-bindings.js';

export function useCommandKeys(
	modes: readonly Mode[],
	handlers: Partial<Record<Command, () => void>>,
	isActive = true,
): void {
	useInput(
		(input, key) => {
			const command = commandFor(modes, input, key);
			if (command !== undefined) handlers[command]?.();
		},
		{isActive},
	);
}
