import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import {
	bindingsFor,
	Command,
	commandFor,
	KEY_BINDINGS,
	statusBarEntries,
	type KeySpec,
	type Mode,
} from '../../source/ui/key-bindings.js';
import {statusBarText} from '../../source/ui/status-bar.js';

const noKey: Key = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
	super: false,
	hyper: false,
	capsLock: false,
	numLock: false,
};

/** The mode sets that are active together somewhere in the screens. */
const activeTogether: Mode[][] = [
	['focus', 'log'],
	['focus', 'log-detail'],
	['focus', 'keys'],
	['focus', 'login'],
	['focus', 'login', 'signup'],
	['focus', 'menu'],
	['focus', 'menu', 'history-older'],
	['focus', 'menu', 'history-newer'],
	['focus', 'menu', 'history-older', 'history-newer'],
	['focus', 'amount'],
	['trust'],
	['failed'],
	['failed', 'focus', 'log'],
	['failed', 'focus', 'log-detail'],
	['serve', 'focus', 'connections'],
	['serve', 'focus', 'log'],
	['serve', 'focus', 'log-detail'],
];

function specKey(spec: KeySpec): string {
	return `${spec.ctrl ? 'ctrl+' : ''}${spec.shift ? 'shift+' : ''}${spec.name ?? spec.input ?? '?'}`;
}

describe('the key-binding table', () => {
	for (const modes of activeTogether) {
		it(`no key means two things in ${modes.join(' + ')}`, () => {
			const seen = new Map<string, Command>();
			for (const binding of bindingsFor(modes)) {
				for (const spec of binding.keys) {
					const key = specKey(spec);
					expect(
						seen.get(key),
						`${key} bound to ${seen.get(key)} and ${binding.command}`,
					).toBeUndefined();
					seen.set(key, binding.command);
				}
			}
		});
	}

	it('text-entry modes bind no printable key, so typing reaches the field', () => {
		for (const mode of ['login', 'signup', 'amount', 'trust'] as const) {
			const printable = bindingsFor([mode])
				.flatMap((binding) => binding.keys)
				.filter((spec) => spec.input !== undefined && !spec.ctrl);
			expect(printable, mode).toEqual([]);
		}
	});

	it('every command has a description', () => {
		for (const binding of KEY_BINDINGS) {
			expect(binding.description.length).toBeGreaterThan(2);
			expect(binding.label.length).toBeGreaterThan(0);
		}
	});

	it('maps keys to commands by mode', () => {
		expect(commandFor(['menu'], '1', noKey)).toBe(Command.Deposit);
		expect(commandFor(['menu'], '4', noKey)).toBe(Command.Exit);
		expect(commandFor(['menu'], '5', noKey)).toBeUndefined();
		expect(commandFor(['menu'], '6', noKey)).toBeUndefined();
		expect(commandFor(['amount'], '1', noKey)).toBeUndefined();
		expect(commandFor(['log'], '', {...noKey, downArrow: true})).toBe(Command.LogNext);
		expect(commandFor(['log-detail'], '', {...noKey, escape: true})).toBe(Command.LogCollapse);
		expect(commandFor(['focus'], '', {...noKey, tab: true})).toBe(Command.FocusNext);
		expect(commandFor(['focus'], '', {...noKey, tab: true, shift: true})).toBe(
			Command.FocusPrevious,
		);
		expect(commandFor(['signup'], 'o', {...noKey, ctrl: true})).toBe(Command.ToggleSignup);
		expect(commandFor(['login'], 'o', noKey)).toBeUndefined();
		expect(commandFor(['failed'], 'q', noKey)).toBe(Command.Quit);
		expect(commandFor(['log'], 'q', noKey)).toBeUndefined();
	});

	it('the status bar is generated from the table for the active modes', () => {
		expect(statusBarText(['focus', 'menu'])).toBe(
			'↑↓ move · ⏎ choose · 1 deposit · 2 withdraw · 3 balance · h history · t transfer · 4 exit · Tab panes',
		);
		expect(statusBarText(['trust'])).toBe('yes/no ⏎ answer');
		expect(statusBarEntries(['focus', 'amount']).map((entry) => entry.label)).toEqual([
			'⏎',
			'Esc',
			'Tab',
		]);
		expect(statusBarText(['serve', 'focus', 'connections'])).toContain('q stop the server');
	});

	it('PgDn/PgUp page the history only where there is a page that way', () => {
		const pageDown = {...noKey, pageDown: true};
		const pageUp = {...noKey, pageUp: true};
		expect(commandFor(['focus', 'menu'], '', pageDown)).toBeUndefined();
		expect(commandFor(['focus', 'menu'], '', pageUp)).toBeUndefined();
		expect(commandFor(['focus', 'menu', 'history-older'], '', pageDown)).toBe(Command.HistoryOlder);
		expect(commandFor(['focus', 'menu', 'history-older'], '', pageUp)).toBeUndefined();
		expect(commandFor(['focus', 'menu', 'history-newer'], '', pageUp)).toBe(Command.HistoryNewer);
		// The handshake log keeps its own paging when it has focus.
		expect(commandFor(['focus', 'log'], '', pageDown)).toBe(Command.LogPageDown);
		expect(statusBarText(['focus', 'menu', 'history-older'])).toBe(
			'↑↓ move · ⏎ choose · 1 deposit · 2 withdraw · 3 balance · h history · t transfer · 4 exit · PgDn older · Tab panes',
		);
		expect(statusBarText(['focus', 'menu', 'history-older', 'history-newer'])).toContain(
			'4 exit · PgDn older · PgUp newer · Tab panes',
		);
		expect(statusBarText(['focus', 'menu', 'history-newer'])).not.toContain('PgDn');
	});
});
