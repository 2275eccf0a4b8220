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
	ToggleKeyDetails = 'toggle-key-details',
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
	HistoryOlder = 'history-older',
	HistoryNewer = 'history-newer',
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
	/** The demo screen, a log or the key details focused: k swaps Bob's log and the key details. */
	| 'demo'
	/** The login form has focus. */
	| 'login'
	/** The login form, when the server allows opening an account. */
	| 'signup'
	/** The bank menu has focus. */
	| 'menu'
	/** The menu has focus and shows a history page with older entries after it. */
	| 'history-older'
	/** The menu has focus and shows an older history page (newer pages come before it). */
	| 'history-newer'
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
const key = (input: string): KeySpec => ({input});

/** One row of the table; `hidden` rows are the other half of a pair shown once ("↑↓"). */
function bind(
	command: Command,
	keys: readonly KeySpec[],
	modes: readonly Mode[],
	label: string,
	description: string,
	hidden = false,
): Binding {
	return {command, keys, modes, label, description, ...(hidden ? {hidden} : {})};
}

/** The table. Order is the status bar's order. */
export const KEY_BINDINGS: readonly Binding[] = [
	// The trust prompt (first contact), as OpenSSH asks it.
	bind(Command.TrustSubmit, [enter], ['trust'], 'yes/no ⏎', 'answer'),
	// Failure screens.
	bind(Command.Quit, [key('q')], ['failed'], 'q', 'quit'),
	// The handshake log.
	bind(Command.LogPrevious, [up], ['log'], '↑↓', 'select entry'),
	bind(Command.LogNext, [down], ['log'], '↓', 'next entry', true),
	bind(Command.LogPageUp, [{name: 'pageUp'}], ['log'], 'PgUp/PgDn', 'page'),
	bind(Command.LogPageDown, [{name: 'pageDown'}], ['log'], 'PgDn', 'page down', true),
	bind(Command.LogFirst, [{name: 'home'}], ['log'], 'Home', 'first', true),
	bind(Command.LogLast, [{name: 'end'}], ['log'], 'End', 'follow latest'),
	bind(Command.LogExpand, [enter], ['log'], '⏎', 'expand'),
	bind(Command.DetailScrollUp, [up], ['log-detail'], '↑↓', 'scroll'),
	bind(Command.DetailScrollDown, [down], ['log-detail'], '↓', 'scroll down', true),
	bind(Command.LogCollapse, [enter, escape], ['log-detail'], '⏎/Esc', 'collapse'),
	// The key details pane.
	bind(Command.KeysScrollUp, [up], ['keys'], '↑↓', 'scroll'),
	bind(Command.KeysScrollDown, [down], ['keys'], '↓', 'scroll down', true),
	bind(Command.ToggleKeyDetails, [key('k')], ['demo'], 'k', "key details / Bob's log"),
	// The login form.
	bind(Command.FieldPrevious, [up], ['login'], '↑↓', 'field'),
	bind(Command.FieldNext, [down], ['login'], '↓', 'next field', true),
	bind(Command.LoginSubmit, [enter], ['login'], '⏎', 'next / log in'),
	bind(
		Command.ToggleSignup,
		[{input: 'o', ctrl: true}],
		['signup'],
		'^O',
		'open an account / log in',
	),
	// The bank menu: the original design's codes 1 to 4, and letters for the two later operations
	// (5 and 6 are deliberately not shortcuts: in the original design 4 is Exit).
	bind(Command.MenuPrevious, [up], ['menu'], '↑↓', 'move'),
	bind(Command.MenuNext, [down], ['menu'], '↓', 'move down', true),
	bind(Command.MenuChoose, [enter], ['menu'], '⏎', 'choose'),
	bind(Command.Deposit, [key('1')], ['menu'], '1', 'deposit'),
	bind(Command.Withdraw, [key('2')], ['menu'], '2', 'withdraw'),
	bind(Command.Balance, [key('3')], ['menu'], '3', 'balance'),
	bind(Command.History, [key('h')], ['menu'], 'h', 'history'),
	bind(Command.Transfer, [key('t')], ['menu'], 't', 'transfer'),
	bind(Command.Exit, [key('4')], ['menu'], '4', 'exit'),
	// Paging the history, offered only when there is a page that way. After the menu's own keys,
	// so that on a narrow status bar these are cut first (the history header names them too).
	// PgUp/PgDn also page the handshake log, but only one pane has focus: the modes never meet.
	bind(Command.HistoryOlder, [{name: 'pageDown'}], ['history-older'], 'PgDn', 'older'),
	bind(Command.HistoryNewer, [{name: 'pageUp'}], ['history-newer'], 'PgUp', 'newer'),
	// Amount and transfer-target entry.
	bind(Command.FormSubmit, [enter], ['amount'], '⏎', 'send'),
	bind(Command.FormCancel, [escape], ['amount'], 'Esc', 'cancel'),
	// Text fields share one erase key (no printable key is bound in their modes).
	bind(
		Command.Erase,
		[{name: 'backspace'}, {name: 'delete'}],
		['login', 'amount', 'trust'],
		'⌫',
		'erase',
		true,
	),
	// The server screen.
	bind(Command.ConnectionPrevious, [up], ['connections'], '↑↓', 'select connection'),
	bind(Command.ConnectionNext, [down], ['connections'], '↓', 'next connection', true),
	bind(Command.Stop, [key('q')], ['serve'], 'q', 'stop the server'),
	// Moving between panes; last, as it applies almost everywhere.
	bind(Command.FocusNext, [{name: 'tab'}], ['focus'], 'Tab', 'panes'),
	bind(
		Command.FocusPrevious,
		[{name: 'tab', shift: true}],
		['focus'],
		'⇧Tab',
		'previous pane',
		true,
	),
];

const namedKeys: Readonly<Record<NamedKey, (key: Key) => boolean>> = {
	up: (key) => key.upArrow,
	down: (key) => key.downArrow,
	pageUp: (key) => key.pageUp,
	pageDown: (key) => key.pageDown,
	home: (key) => key.home,
	end: (key) => key.end,
	return: (key) => key.return,
	escape: (key) => key.escape,
	tab: (key) => key.tab,
	backspace: (key) => key.backspace,
	delete: (key) => key.delete,
};

/** Whether a key press matches a spec (Shift must match for named keys; Ctrl always). */
export function keyMatches(spec: KeySpec, input: string, key: Key): boolean {
	if ((spec.ctrl ?? false) !== key.ctrl) return false;
	if (spec.name !== undefined) {
		return namedKeys[spec.name](key) && (spec.shift ?? false) === key.shift;
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

/** How a command's key is written (the status bar's label), for help text outside the bar. */
export function keyLabel(command: Command): string {
	return KEY_BINDINGS.find((binding) => binding.command === command)?.label ?? '';
}

/** The bindings that work in the active modes, in table order (hidden ones included). */
export function bindingsFor(modes: readonly Mode[]): Binding[] {
	return KEY_BINDINGS.filter((binding) => binding.modes.some((mode) => modes.includes(mode)));
}

/** What the status bar shows for the active modes: "label description" pairs. */
export function statusBarEntries(
	modes: readonly Mode[],
): Array<{readonly label: string; readonly description: string}> {
	return bindingsFor(modes)
		.filter((binding) => binding.hidden !== true)
		.map(({label, description}) => ({label, description}));
}

/**
 * Pasted text with line breaks ("yes⏎", or tmux sending a word and Enter in one read) arrives as
 * one input: its lines, each but the last to be followed by Enter. Undefined for a single key.
 */
export function pastedLines(input: string): string[] | undefined {
	if (input.length < 2 || !/[\r\n]/u.test(input)) return undefined;
	return input.split(/\r\n|\r|\n/u);
}

/** Text typed into a field: printable characters only, never a control or navigation key. */
export function typedText(input: string, key: Key): string {
	if (key.ctrl || key.meta || key.tab || key.return || key.escape || key.backspace || key.delete)
		return '';
	if (key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown)
		return '';
	// Pasted text arrives as one string; keep its printable characters.
	return [...input].filter((character) => character >= ' ' && character !== '\u007F').join('');
}
