/**
 * Key bindings as data (after Gemini CLI's keyBindings.ts): one table of commands, the keys bound
 * to them, the modes in which they work and what they do. The input hooks ask `commandFor`; the
 * status bar renders `statusBarEntries` from the same table, so the help never drifts from the keys.
 *
 * A mode is a screen or a pane state. Several modes are active at once (for instance `focus` and
 * `menu`); text-entry modes (`login`, `amount`, `trust`) bind no printable keys, so letters and
 * digits typed there go to the field.
 */
import type {Key} from 'ink';

export enum Command {
	FocusNext = 'focus-next',
	FocusPrevious = 'focus-previous',
	LogPrevious = 'log-previous',
	LogNext = 'log-next',
	LogPageUp = 'log-page-up',
	LogPageDown = 'log-page-down',
	LogFirst = 'log-first',
	LogLast = 'log-last',
	LogExpand = 'log-expand',
	LogCollapse = 'log-collapse',
	DetailScrollUp = 'detail-scroll-up',
	DetailScrollDown = 'detail-scroll-down',
	KeysScrollUp = 'keys-scroll-up',
	KeysScrollDown = 'keys-scroll-down',
	FieldPrevious = 'field-previous',
	FieldNext = 'field-next',
	LoginSubmit = 'login-submit',
	ToggleSignup = 'toggle-signup',
	MenuPrevious = 'menu-previous',
	MenuNext = 'menu-next',
	MenuChoose = 'menu-choose',
	Deposit = 'deposit',
	Withdraw = 'withdraw',
	Balance = 'balance',
	History = 'history',
	Transfer = 'transfer',
	Exit = 'exit',
	FormSubmit = 'form-submit',
	FormCancel = 'form-cancel',
	Erase = 'erase',
	TrustSubmit = 'trust-submit',
	ConnectionPrevious = 'connection-previous',
	ConnectionNext = 'connection-next',
	Quit = 'quit',
	Stop = 'stop',
}

export type Mode =
	/** More than one pane can take focus: Tab moves between them. */
	| 'focus'
	/** The handshake log list has focus. */
	| 'log'
	/** One log entry is expanded. */
	| 'log-detail'
	/** The key details pane has focus. */
	| 'keys'
	/** The login form has focus. */
	| 'login'
	/** The login form, when the server allows opening an account. */
	| 'signup'
	/** The bank menu has focus. */
	| 'menu'
	/** An amount (or transfer target) is being typed. */
	| 'amount'
	/** "Trust this host?" is asked. */
	| 'trust'
	/** The connection failed or the host key changed: only quitting is left. */
	| 'failed'
	/** The server's connection list has focus. */
	| 'connections'
	/** The server screen (any pane). */
	| 'serve';

type NamedKey =
	| 'up'
	| 'down'
	| 'pageUp'
	| 'pageDown'
	| 'home'
	| 'end'
	| 'return'
	| 'escape'
	| 'tab'
	| 'backspace'
	| 'delete';

/** One key: a named key, or a printable character, optionally with Ctrl or Shift. */
export type KeySpec = {
	readonly name?: NamedKey;
	readonly input?: string;
	readonly ctrl?: boolean;
	readonly shift?: boolean;
};

export type Binding = {
	readonly command: Command;
	readonly keys: readonly KeySpec[];
	readonly modes: readonly Mode[];
	/** How the key is written in the status bar. */
	readonly label: string;
	readonly description: string;
	/** Hidden from the status bar (the other half of a pair such as ↑/↓ is shown instead). */
	readonly hidden?: boolean;
};

const up: KeySpec = {name: 'up'};
const down: KeySpec = {name: 'down'};
const enter: KeySpec = {name: 'return'};
const escape: KeySpec = {name: 'escape'};

/** The table. Order is the status bar's order. */
export const KEY_BINDINGS: readonly Binding[] = [
	// The trust prompt (first contact), as OpenSSH asks it.
	{command: Command.TrustSubmit, keys: [enter], modes: ['trust'], label: 'yes/no ⏎', description: 'answer'},
	// Failure screens.
	{command: Command.Quit, keys: [{input: 'q'}], modes: ['failed'], label: 'q', description: 'quit'},
	// The handshake log.
	{command: Command.LogPrevious, keys: [up], modes: ['log'], label: '↑↓', description: 'select entry'},
	{command: Command.LogNext, keys: [down], modes: ['log'], label: '↓', description: 'next entry', hidden: true},
	{command: Command.LogPageUp, keys: [{name: 'pageUp'}], modes: ['log'], label: 'PgUp/PgDn', description: 'page'},
	{command: Command.LogPageDown, keys: [{name: 'pageDown'}], modes: ['log'], label: 'PgDn', description: 'page down', hidden: true},
	{command: Command.LogFirst, keys: [{name: 'home'}], modes: ['log'], label: 'Home', description: 'first', hidden: true},
	{command: Command.LogLast, keys: [{name: 'end'}], modes: ['log'], label: 'End', description: 'follow latest'},
	{command: Command.LogExpand, keys: [enter], modes: ['log'], label: '⏎', description: 'expand'},
	{command: Command.DetailScrollUp, keys: [up], modes: ['log-detail'], label: '↑↓', description: 'scroll'},
	{command: Command.DetailScrollDown, keys: [down], modes: ['log-detail'], label: '↓', description: 'scroll down', hidden: true},
	{command: Command.LogCollapse, keys: [enter, escape], modes: ['log-detail'], label: '⏎/Esc', description: 'collapse'},
	// The key details pane.
	{command: Command.KeysScrollUp, keys: [up], modes: ['keys'], label: '↑↓', description: 'scroll'},
	{command: Command.KeysScrollDown, keys: [down], modes: ['keys'], label: '↓', description: 'scroll down', hidden: true},
	// The login form.
	{command: Command.FieldPrevious, keys: [up], modes: ['login'], label: '↑↓', description: 'field'},
	{command: Command.FieldNext, keys: [down], modes: ['login'], label: '↓', description: 'next field', hidden: true},
	{command: Command.LoginSubmit, keys: [enter], modes: ['login'], label: '⏎', description: 'next / log in'},
	{command: Command.ToggleSignup, keys: [{input: 'o', ctrl: true}], modes: ['signup'], label: '^O', description: 'open an account / log in'},
	// The bank menu: the original design's codes 1 to 4, and letters for the two later operations
	// (5 and 6 are deliberately not shortcuts: in the original design 4 is Exit).
	{command: Command.MenuPrevious, keys: [up], modes: ['menu'], label: '↑↓', description: 'move'},
	{command: Command.MenuNext, keys: [down], modes: ['menu'], label: '↓', description: 'move down', hidden: true},
	{command: Command.MenuChoose, keys: [enter], modes: ['menu'], label: '⏎', description: 'choose'},
	{command: Command.Deposit, keys: [{input: '1'}], modes: ['menu'], label: '1', description: 'deposit'},
	{command: Command.Withdraw, keys: [{input: '2'}], modes: ['menu'], label: '2', description: 'withdraw'},
	{command: Command.Balance, keys: [{input: '3'}], modes: ['menu'], label: '3', description: 'balance'},
	{command: Command.History, keys: [{input: 'h'}], modes: ['menu'], label: 'h', description: 'history'},
	{command: Command.Transfer, keys: [{input: 't'}], modes: ['menu'], label: 't', description: 'transfer'},
	{command: Command.Exit, keys: [{input: '4'}], modes: ['menu'], label: '4', description: 'exit'},
	// Amount and transfer-target entry.
	{command: Command.FormSubmit, keys: [enter], modes: ['amount'], label: '⏎', description: 'send'},
	{command: Command.FormCancel, keys: [escape], modes: ['amount'], label: 'Esc', description: 'cancel'},
	// Text fields share one erase key (no printable key is bound in their modes).
	{command: Command.Erase, keys: [{name: 'backspace'}, {name: 'delete'}], modes: ['login', 'amount', 'trust'], label: '⌫', description: 'erase', hidden: true},
	// The server screen.
	{command: Command.ConnectionPrevious, keys: [up], modes: ['connections'], label: '↑↓', description: 'select connection'},
	{command: Command.ConnectionNext, keys: [down], modes: ['connections'], label: '↓', description: 'next connection', hidden: true},
	{command: Command.Stop, keys: [{input: 'q'}], modes: ['serve'], label: 'q', description: 'stop the server'},
	// Moving between panes; last, as it applies almost everywhere.
	{command: Command.FocusNext, keys: [{name: 'tab'}], modes: ['focus'], label: 'Tab', description: 'next pane'},
	{command: Command.FocusPrevious, keys: [{name: 'tab', shift: true}], modes: ['focus'], label: '⇧Tab', description: 'previous pane', hidden: true},
];

function namedKeyPressed(name: NamedKey, key: Key): boolean {
	switch (name) {
		case 'up': {
			return key.upArrow;
		}

		case 'down': {
			return key.downArrow;
		}

		case 'pageUp': {
			return key.pageUp;
		}

		case 'pageDown': {
			return key.pageDown;
		}

		case 'home': {
			return key.home;
		}

		case 'end': {
			return key.end;
		}

		case 'return': {
			return key.return;
		}

		case 'escape': {
			return key.escape;
		}

		case 'tab': {
			return key.tab;
		}

		case 'backspace': {
			return key.backspace;
		}

		case 'delete': {
			return key.delete;
		}
	}
}

/** Whether a key press matches a spec (Shift must match for named keys; Ctrl always). */
export function keyMatches(spec: KeySpec, input: string, key: Key): boolean {
	if ((spec.ctrl ?? false) !== key.ctrl) return false;
	if (spec.name !== undefined) {
		return namedKeyPressed(spec.name, key) && (spec.shift ?? false) === key.shift;
	}

	return spec.input !== undefined && input === spec.input && !key.meta;
}

/** The command a key press means in the active modes, if any. */
export function commandFor(modes: readonly Mode[], input: string, key: Key): Command | undefined {
	for (const binding of KEY_BINDINGS) {
		if (!binding.modes.some((mode) => modes.includes(mode))) continue;
		if (binding.keys.some((spec) => keyMatches(spec, input, key))) return binding.command;
	}

	return undefined;
}

/** The bindings that work in the active modes, in table order (hidden ones included). */
export function bindingsFor(modes: readonly Mode[]): Binding[] {
	return KEY_BINDINGS.filter((binding) => binding.modes.some((mode) => modes.includes(mode)));
}

/** What the status bar shows for the active modes: "label description" pairs. */
export function statusBarEntries(modes: readonly Mode[]): Array<{readonly label: string; readonly description: string}> {
	return bindingsFor(modes)
		.filter((binding) => binding.hidden !== true)
		.map(({label, description}) => ({label, description}));
}

/** Text typed into a field: printable characters only, never a control or navigation key. */
export function typedText(input: string, key: Key): string {
	if (key.ctrl || key.meta || key.tab || key.return || key.escape || key.backspace || key.delete) return '';
	if (key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown) return '';
	// Pasted text arrives as one string; keep its printable characters.
	return [...input].filter((character) => character >= ' ' && character !== '\u007F').join('');
}
