/**
 * The bank pane's state: login form, menu, amount and transfer entry, results and history. A pure
 * reducer; a bank call is a `request` the reducer puts in the state and use-bank.ts carries out, so
 * "nothing is sent until valid" is a property of this file alone.
 *
 * The history is paged as the protocol pages it (history-page.ts): one page is kept, with the
 * `before` values that led to it, and each turn of the page is a request like any other.
 *
 * Menu codes follow the original design: 1 deposit, 2 withdraw, 3 balance, 4 exit. History and
 * Transfer came later and take letters (h, t); 5 and 6 are not shortcuts.
 */
import type {BankError, BankResult, HistoryPage} from '../net/api.js';
import {accountNameProblem, passwordProblem} from '../bank/input-rules.js';
import {formatCents, MAX_AMOUNT_CENTS, parseAmount} from '../bank/money.js';
import type {Tone} from './format.js';
import {
	historyMessage,
	newerSteps,
	olderSteps,
	type HistoryStep,
	type HistoryView,
} from './history-page.js';

export type Operation = 'deposit' | 'withdraw' | 'balance' | 'history' | 'transfer' | 'exit';

export type MenuItem = {
	readonly operation: Operation;
	readonly label: string;
	readonly shortcut: string;
};

/** The menu, in the order shown; shortcuts are also in key-bindings.ts. */
export const MENU: readonly MenuItem[] = [
	{operation: 'deposit', label: 'Deposit', shortcut: '1'},
	{operation: 'withdraw', label: 'Withdraw', shortcut: '2'},
	{operation: 'balance', label: 'Balance', shortcut: '3'},
	{operation: 'history', label: 'History', shortcut: 'h'},
	{operation: 'transfer', label: 'Transfer', shortcut: 't'},
	{operation: 'exit', label: 'Exit', shortcut: '4'},
];

export type BankRequest =
	| {readonly op: 'serverInfo'}
	| {readonly op: 'login' | 'signup'; readonly name: string; readonly password: string}
	| {readonly op: 'deposit' | 'withdraw'; readonly cents: number}
	| {readonly op: 'transfer'; readonly cents: number; readonly to: string}
	| {readonly op: 'balance'}
	/** The page reached by `steps` (its last `before`; the newest page when empty). */
	| {readonly op: 'history'; readonly limit: number; readonly steps: readonly HistoryStep[]}
	| {readonly op: 'logout'};

export type BankResponse =
	| {
			readonly op: 'serverInfo';
			readonly result: BankResult<{readonly signup: boolean; readonly maxAmountCents: number}>;
	  }
	| {
			readonly op: 'login' | 'signup';
			readonly result: BankResult<{readonly name: string; readonly balanceCents: number}>;
	  }
	| {
			readonly op: 'deposit' | 'withdraw' | 'transfer' | 'balance';
			readonly result: BankResult<{readonly balanceCents: number}>;
	  }
	| {
			readonly op: 'history';
			readonly result: BankResult<HistoryPage>;
	  }
	| {readonly op: 'logout'; readonly result: BankResult<Record<string, never>>};

export type LoginField = 'name' | 'password';

export type AmountForm = {
	readonly operation: 'deposit' | 'withdraw' | 'transfer';
	readonly field: 'amount' | 'to';
	readonly amount: string;
	readonly to: string;
	/** Why the last Enter was refused (typing clears it). */
	readonly error?: string;
};

export type BankMessage = {readonly tone: Tone; readonly text: string};

export type BankView = {
	readonly phase: 'waiting' | 'login' | 'menu' | 'exiting' | 'exited';
	readonly signupAllowed: boolean;
	readonly maxAmountCents: number;
	readonly login: {
		readonly mode: 'login' | 'signup';
		readonly field: LoginField;
		readonly name: string;
		readonly password: string;
		readonly error?: string;
	};
	readonly account: string | undefined;
	readonly balanceCents: number | undefined;
	readonly menuIndex: number;
	readonly form: AmountForm | undefined;
	readonly history: HistoryView | undefined;
	/** How many entries a history page asks for: as many as the pane shows. */
	readonly historyPageSize: number;
	readonly message: BankMessage | undefined;
	/** The call in flight, if any; only one at a time. */
	readonly request: {readonly id: number; readonly call: BankRequest} | undefined;
	readonly nextRequestId: number;
};

/** The most entries a history page asks for (the protocol allows 100; no pane shows that many). */
export const HISTORY_LIMIT = 50;

export const initialBankView: BankView = {
	phase: 'waiting',
	signupAllowed: false,
	maxAmountCents: MAX_AMOUNT_CENTS,
	login: {mode: 'login', field: 'name', name: '', password: ''},
	account: undefined,
	balanceCents: undefined,
	menuIndex: 0,
	form: undefined,
	history: undefined,
	historyPageSize: HISTORY_LIMIT,
	message: undefined,
	request: undefined,
	nextRequestId: 1,
};

export type BankAction =
	/** The secure channel is up: ask what the server allows. */
	| {readonly type: 'connected'}
	| {readonly type: 'type'; readonly text: string}
	| {readonly type: 'erase'}
	| {readonly type: 'field'; readonly delta: 1 | -1}
	/** Focus moved to a login field from outside (Tab order runs through the form). */
	| {readonly type: 'focus-field'; readonly field: LoginField}
	| {readonly type: 'toggle-signup'}
	| {readonly type: 'submit'}
	| {readonly type: 'cancel'}
	| {readonly type: 'menu-move'; readonly delta: number}
	/** Choose the highlighted item, or the given one (a shortcut). */
	| {readonly type: 'choose'; readonly operation?: Operation}
	/** The next older history page, or back to the newer one (only from the menu, history shown). */
	| {readonly type: 'history-page'; readonly direction: 'older' | 'newer'}
	/** The pane now shows this many history rows: pages asked for from now on are that long. */
	| {readonly type: 'history-rows'; readonly rows: number}
	| {readonly type: 'response'; readonly id: number; readonly response: BankResponse}
	/** The call threw (the connection went away): no answer will come. */
	| {readonly type: 'request-failed'; readonly id: number; readonly message: string};

function send(state: BankView, call: BankRequest, changes: Partial<BankView> = {}): BankView {
	return {
		...state,
		...changes,
		request: {id: state.nextRequestId, call},
		nextRequestId: state.nextRequestId + 1,
	};
}

function dropLast(text: string): string {
	return [...text].slice(0, -1).join('');
}

/** A refusal as shown under the menu. */
export function refusalText(error: BankError): string {
	return `✗ ${error.message} (${error.code})`;
}

const pastTense: Readonly<Record<'deposit' | 'withdraw', string>> = {
	deposit: 'Deposited',
	withdraw: 'Withdrew',
};

function submitLogin(state: BankView): BankView {
	const {login} = state;
	if (login.field === 'name') {
		return {...state, login: {...login, field: 'password'}};
	}

	const nameRule = login.mode === 'signup' ? accountNameProblem(login.name) : undefined;
	const nameError =
		login.name === '' ? 'enter your name' : nameRule ? `the name ${nameRule}` : undefined;
	if (nameError) return {...state, login: {...login, field: 'name', error: nameError}};
	const passwordRule = passwordProblem(login.password, login.mode);
	if (passwordRule) {
		const passwordError =
			login.password === '' ? 'enter your password' : `the password ${passwordRule}`;
		return {...state, login: {...login, error: passwordError}};
	}

	return send(
		state,
		{op: login.mode, name: login.name, password: login.password},
		{login: {...login, error: undefined}},
	);
}

function submitForm(state: BankView, form: AmountForm): BankView {
	const parsed = parseAmount(form.amount, {maxCents: state.maxAmountCents});
	if (!parsed.ok) return {...state, form: {...form, field: 'amount', error: parsed.error}};
	if (form.operation !== 'transfer') {
		return send(state, {op: form.operation, cents: parsed.cents}, {message: undefined});
	}

	if (form.field === 'amount') return {...state, form: {...form, field: 'to', error: undefined}};
	const problem = accountNameProblem(form.to);
	if (problem) return {...state, form: {...form, error: `account ${problem}`}};
	if (form.to === state.account)
		return {...state, form: {...form, error: 'that is your own account'}};
	return send(state, {op: 'transfer', cents: parsed.cents, to: form.to}, {message: undefined});
}

function choose(state: BankView, operation: Operation): BankView {
	const menuIndex = Math.max(
		0,
		MENU.findIndex((item) => item.operation === operation),
	);
	const base = {...state, menuIndex, message: undefined};
	switch (operation) {
		case 'deposit':
		case 'withdraw':
		case 'transfer': {
			return {...base, form: {operation, field: 'amount', amount: '', to: ''}, history: undefined};
		}

		case 'balance': {
			return send(base, {op: 'balance'}, {form: undefined});
		}

		case 'history': {
			// Always the newest page: choosing History again is the way back to the start.
			return send(
				base,
				{op: 'history', limit: state.historyPageSize, steps: []},
				{form: undefined},
			);
		}

		case 'exit': {
			return send(base, {op: 'logout'}, {form: undefined, phase: 'exiting'});
		}
	}
}

/** Asks for the next older page, or the newer one the last step came from; otherwise no change. */
function turnHistoryPage(state: BankView, direction: 'older' | 'newer'): BankView {
	const {history} = state;
	const busy = state.form !== undefined || state.request !== undefined;
	if (state.phase !== 'menu' || busy || !history) return state;
	const steps = direction === 'older' ? olderSteps(history) : newerSteps(history);
	if (!steps) return state;
	// The page shown stays until the answer: a refusal leaves it as it was.
	return send(state, {op: 'history', limit: state.historyPageSize, steps}, {message: undefined});
}

function typeInto(state: BankView, edit: (text: string) => string): BankView {
	if (state.phase === 'login') {
		const {login} = state;
		return {...state, login: {...login, [login.field]: edit(login[login.field]), error: undefined}};
	}

	if (state.phase === 'menu' && state.form) {
		const {form} = state;
		return {...state, form: {...form, [form.field]: edit(form[form.field]), error: undefined}};
	}

	return state;
}

function refused(state: BankView, error: BankError): BankView {
	// A refusal keeps the form (and what was typed) so it can be corrected.
	return {...state, message: {tone: 'bad', text: refusalText(error)}};
}

function movedText(call: BankRequest, balance: string): string {
	if (call.op === 'deposit' || call.op === 'withdraw') {
		return `✓ ${pastTense[call.op]} ${formatCents(call.cents)} · balance ${balance}`;
	}

	if (call.op === 'transfer')
		return `✓ Sent ${formatCents(call.cents)} to ${call.to} · balance ${balance}`;
	return `✓ Balance ${balance}`;
}

function applyResponse(state: BankView, call: BankRequest, response: BankResponse): BankView {
	if (response.op === 'serverInfo') {
		if (!response.result.ok) return {...refused(state, response.result.error), phase: 'login'};
		const {signup, maxAmountCents} = response.result.value;
		return {...state, phase: 'login', signupAllowed: signup, maxAmountCents};
	}

	if (response.op === 'logout') return {...state, phase: 'exited'};
	if (response.op === 'login' || response.op === 'signup') {
		if (!response.result.ok) {
			// Keep the name, clear the password, and let the user try again.
			const error = refusalText(response.result.error);
			return {...state, login: {...state.login, field: 'password', password: '', error}};
		}

		const {name, balanceCents} = response.result.value;
		const greeting = response.op === 'signup' ? `Account ${name} opened` : `Logged in as ${name}`;
		return {
			...state,
			phase: 'menu',
			account: name,
			balanceCents,
			login: {...initialBankView.login, mode: state.login.mode},
			message: {tone: 'ok', text: `✓ ${greeting} · balance ${formatCents(balanceCents)}`},
		};
	}

	if (response.op === 'history') {
		// A refused page leaves the page shown as it was.
		if (!response.result.ok) return refused(state, response.result.error);
		const {entries, nextBefore, balanceCents} = response.result.value;
		const history: HistoryView = {
			entries,
			nextBefore,
			steps: call.op === 'history' ? call.steps : [],
		};
		return {
			...state,
			history,
			balanceCents,
			message: {tone: 'ok', text: historyMessage(history)},
		};
	}

	if (!response.result.ok) return refused(state, response.result.error);
	const {balanceCents} = response.result.value;
	const text = movedText(call, formatCents(balanceCents));
	return {...state, balanceCents, form: undefined, message: {tone: 'ok', text}};
}

export function bankViewReducer(state: BankView, action: BankAction): BankView {
	switch (action.type) {
		case 'connected': {
			return state.phase === 'waiting' && !state.request ? send(state, {op: 'serverInfo'}) : state;
		}

		case 'type': {
			return typeInto(state, (text) => text + action.text);
		}

		case 'erase': {
			return typeInto(state, dropLast);
		}

		case 'field': {
			if (state.phase !== 'login') return state;
			return {
				...state,
				login: {...state.login, field: state.login.field === 'name' ? 'password' : 'name'},
			};
		}

		case 'focus-field': {
			return state.phase === 'login'
				? {...state, login: {...state.login, field: action.field}}
				: state;
		}

		case 'toggle-signup': {
			if (state.phase !== 'login' || !state.signupAllowed || state.request) return state;
			const mode = state.login.mode === 'login' ? 'signup' : 'login';
			return {...state, login: {...state.login, mode, error: undefined}};
		}

		case 'submit': {
			if (state.request) return state;
			if (state.phase === 'login') return submitLogin(state);
			if (state.phase === 'menu' && state.form) return submitForm(state, state.form);
			return state;
		}

		case 'cancel': {
			return state.form && !state.request ? {...state, form: undefined, message: undefined} : state;
		}

		case 'menu-move': {
			if (state.phase !== 'menu' || state.form) return state;
			const menuIndex = (state.menuIndex + action.delta + MENU.length) % MENU.length;
			return {...state, menuIndex};
		}

		case 'choose': {
			if (state.phase !== 'menu' || state.form !== undefined || state.request !== undefined)
				return state;
			const operation = action.operation ?? MENU[state.menuIndex]?.operation ?? 'balance';
			return choose(state, operation);
		}

		case 'history-page': {
			return turnHistoryPage(state, action.direction);
		}

		case 'history-rows': {
			const historyPageSize = Math.min(HISTORY_LIMIT, Math.max(1, Math.floor(action.rows)));
			return historyPageSize === state.historyPageSize ? state : {...state, historyPageSize};
		}

		case 'response': {
			if (state.request?.id !== action.id) return state;
			return applyResponse({...state, request: undefined}, state.request.call, action.response);
		}

		case 'request-failed': {
			if (state.request?.id !== action.id) return state;
			const {call} = state.request;
			const cleared = {...state, request: undefined};
			if (call.op === 'logout') return {...cleared, phase: 'exited'};
			return {
				...cleared,
				phase: call.op === 'serverInfo' ? 'login' : state.phase,
				message: {tone: 'bad', text: `✗ ${action.message}`},
			};
		}
	}
}
