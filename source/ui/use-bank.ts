/**
 * The bank pane's hook: binds its keys (key-bindings.ts modes `login`, `signup`, `menu`, `amount`)
 * to bank-view.ts, and carries out the one request the reducer asks for, feeding the answer back.
 */
import {useInput} from 'ink';
import {useEffect, useRef, type Dispatch} from 'react';
import type {BankApi} from '../net/api.js';
import {
	bankViewReducer,
	initialBankView,
	type BankAction,
	type BankRequest,
	type BankResponse,
	type BankView,
} from './bank-view.js';
import {Command, commandFor, pastedLines, typedText, type Mode} from './key-bindings.js';
import {useSyncReducer} from './use-sync-reducer.js';

/** Calls the bank for one request. */
export async function callBank(bank: BankApi, call: BankRequest): Promise<BankResponse> {
	switch (call.op) {
		case 'serverInfo': {
			return {op: call.op, result: await bank.serverInfo()};
		}

		case 'login': {
			return {op: call.op, result: await bank.login(call.name, call.password)};
		}

		case 'signup': {
			return {op: call.op, result: await bank.signup(call.name, call.password)};
		}

		case 'deposit': {
			return {op: call.op, result: await bank.deposit(call.cents)};
		}

		case 'withdraw': {
			return {op: call.op, result: await bank.withdraw(call.cents)};
		}

		case 'transfer': {
			return {op: call.op, result: await bank.transfer(call.cents, call.to)};
		}

		case 'balance': {
			return {op: call.op, result: await bank.balance()};
		}

		case 'history': {
			const before = call.steps.at(-1)?.before;
			const options = before === undefined ? {limit: call.limit} : {limit: call.limit, before};
			return {op: call.op, result: await bank.history(options)};
		}

		case 'logout': {
			return {op: call.op, result: await bank.logout()};
		}
	}
}

/** The modes the bank pane's keys are in, for the key table and the status bar. */
export function bankModes(view: BankView): Mode[] {
	if (view.phase === 'login') return view.signupAllowed ? ['login', 'signup'] : ['login'];
	if (view.phase !== 'menu') return [];
	if (view.form) return ['amount'];
	const modes: Mode[] = ['menu'];
	// The paging keys only where there is a page to go to (and the history is what is shown).
	if (view.history && view.history.nextBefore !== null) modes.push('history-older');
	if (view.history && view.history.steps.length > 0) modes.push('history-newer');
	return modes;
}

/** What each bank command does: the key table says which key, this says which action. */
const commandActions: Partial<Record<Command, BankAction>> = {
	[Command.FieldPrevious]: {type: 'field', delta: -1},
	[Command.FieldNext]: {type: 'field', delta: 1},
	[Command.LoginSubmit]: {type: 'submit'},
	[Command.FormSubmit]: {type: 'submit'},
	[Command.ToggleSignup]: {type: 'toggle-signup'},
	[Command.FormCancel]: {type: 'cancel'},
	[Command.Erase]: {type: 'erase'},
	[Command.MenuPrevious]: {type: 'menu-move', delta: -1},
	[Command.MenuNext]: {type: 'menu-move', delta: 1},
	[Command.MenuChoose]: {type: 'choose'},
	[Command.Deposit]: {type: 'choose', operation: 'deposit'},
	[Command.Withdraw]: {type: 'choose', operation: 'withdraw'},
	[Command.Balance]: {type: 'choose', operation: 'balance'},
	[Command.History]: {type: 'choose', operation: 'history'},
	[Command.HistoryOlder]: {type: 'history-page', direction: 'older'},
	[Command.HistoryNewer]: {type: 'history-page', direction: 'newer'},
	[Command.Transfer]: {type: 'choose', operation: 'transfer'},
	[Command.Exit]: {type: 'choose', operation: 'exit'},
};

/**
 * The bank pane's state; `bank` is undefined until the secure channel is up. When the user chose
 * Exit and the logout was answered, `view.phase` is 'exited': the owner closes the connection.
 * `historyRows` is how many history rows the pane shows: a history page asks for that many.
 */
export function useBank(
	bank: BankApi | undefined,
	isActive: boolean,
	historyRows: number,
): [BankView, Dispatch<BankAction>] {
	const {state: view, dispatch, get} = useSyncReducer(bankViewReducer, initialBankView);
	const started = useRef(new Set<number>());

	useEffect(() => {
		dispatch({type: 'history-rows', rows: historyRows});
	}, [historyRows, dispatch]);

	useEffect(() => {
		if (bank) dispatch({type: 'connected'});
	}, [bank, dispatch]);

	useEffect(() => {
		const {request} = view;
		if (!bank || !request || started.current.has(request.id)) return;
		started.current.add(request.id);
		callBank(bank, request.call).then(
			(response) => {
				dispatch({type: 'response', id: request.id, response});
			},
			(error: unknown) => {
				dispatch({
					type: 'request-failed',
					id: request.id,
					message: error instanceof Error ? error.message : String(error),
				});
			},
		);
	}, [bank, view, dispatch]);

	useInput(
		(input, key) => {
			const isTyping = () => bankModes(get()).some((mode) => mode === 'login' || mode === 'amount');
			const lines = pastedLines(input);
			if (lines) {
				// Each line is typed, then Enter; get() sees what the previous Enter did.
				for (const [index, line] of lines.entries()) {
					if (index > 0) dispatch({type: 'submit'});
					const text = typedText(line, key);
					if (text !== '' && isTyping()) dispatch({type: 'type', text});
				}

				return;
			}

			const modes = bankModes(get());
			const command = commandFor(modes, input, key);
			const action = command === undefined ? undefined : commandActions[command];
			if (action) {
				dispatch(action);
				return;
			}

			if (isTyping()) {
				const text = typedText(input, key);
				if (text !== '') dispatch({type: 'type', text});
			}
		},
		{isActive},
	);

	return [view, dispatch];
}
