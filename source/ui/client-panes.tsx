/**
 * The client's interactive pieces wired together, shared by ConnectApp and DemoApp: the session
 * (start, trust, exit), the bank, the focus ring and the app-level keys. A hook, plus the bottom
 * pane it chooses (trust prompt, failure or bank).
 */
import React, {useEffect} from 'react';
import type {BankView} from './bank-view.js';
import {BankPane, historyRowsFor} from './bank-pane.js';
import {clientScreen, type ClientFocus, type ClientScreen} from './client-session.js';
import {FailurePane} from './failure-pane.js';
import {cycle} from './focus.js';
import {Command, type Mode} from './key-bindings.js';
import type {Rect} from './layout.js';
import {TrustPrompt} from './trust-prompt.js';
import {bankModes, useBank} from './use-bank.js';
import {
	useClientSession,
	type ClientSessionHook,
	type StartConnection,
} from './use-client-session.js';
import {useCommandKeys} from './use-command-keys.js';
import {useTrustKeys} from './use-trust-keys.js';

/** A focus stop: a pane, or one field of the login form. */
export type FocusStop = ClientFocus | 'server-log' | 'bank:name' | 'bank:password';

export type ClientApp = ClientSessionHook & {
	readonly screen: ClientScreen;
	readonly bank: BankView;
	/** The pane with focus (a stop that is not on screen falls back to the first). */
	readonly focus: FocusStop;
	/** The modes the keys are in right now, for the status bar. */
	readonly modes: (paneModes: readonly Mode[]) => Mode[];
};

/**
 * `panes` are the focusable panes before the bank, in Tab order ('log', 'keys', 'server-log').
 * The bank and its login fields are appended when they can take input. `bankHeight` is the bank
 * pane's height in the layout (a history page is as long as the pane shows).
 */
export function useClientApp(
	start: StartConnection,
	onExit: (code: number) => void,
	panes: readonly FocusStop[],
	bankHeight: number,
): ClientApp {
	const client = useClientSession(start, onExit);
	const {view, session, dispatch, handle, exit} = client;
	const screen = clientScreen(view, session);
	const trustAsked = session.trust !== undefined && screen.kind === 'normal';
	const bankOpen = screen.kind === 'normal' && handle !== undefined;
	const focusOnBank = bankOpen && !trustAsked && session.focus === 'bank';
	const [bank, dispatchBank] = useBank(
		bankOpen ? handle.bank : undefined,
		focusOnBank,
		historyRowsFor(bankHeight),
	);

	const bankStops: FocusStop[] = bankOpen
		? bank.phase === 'login'
			? ['bank:name', 'bank:password']
			: bank.phase === 'menu'
				? ['bank']
				: []
		: [];
	const stops = screen.kind === 'changed-key' ? [] : [...panes, ...bankStops];
	const current: FocusStop =
		session.focus === 'bank' && bank.phase === 'login' ? `bank:${bank.login.field}` : session.focus;
	const focus = stops.includes(current) ? current : (stops[0] ?? 'log');

	const moveFocus = (delta: number) => {
		const next = cycle(stops, focus, delta);
		if (next === 'bank:name' || next === 'bank:password') {
			dispatch({type: 'focus', focus: 'bank'});
			dispatchBank({type: 'focus-field', field: next === 'bank:name' ? 'name' : 'password'});
		} else {
			dispatch({type: 'focus', focus: next as ClientFocus});
		}
	};

	const appModes: Mode[] =
		screen.kind === 'changed-key'
			? ['failed']
			: screen.kind === 'failed'
				? ['failed', 'focus']
				: trustAsked
					? []
					: ['focus'];
	useCommandKeys(appModes, {
		[Command.FocusNext]() {
			moveFocus(1);
		},
		[Command.FocusPrevious]() {
			moveFocus(-1);
		},
		[Command.Quit]() {
			exit(screen.kind === 'failed' ? screen.exitCode : 3);
		},
	});
	useTrustKeys(dispatch, trustAsked);

	// The login form takes focus when it appears; the logout ends the session.
	useEffect(() => {
		if (bank.phase === 'login') dispatch({type: 'focus', focus: 'bank'});
		if (bank.phase === 'exiting') dispatch({type: 'exiting'});
		if (bank.phase === 'exited') exit(0);
	}, [bank.phase, dispatch, exit]);

	const modes = (paneModes: readonly Mode[]): Mode[] => {
		if (trustAsked) return ['trust'];
		if (screen.kind === 'changed-key') return ['failed'];
		const focused =
			focus === 'bank' || focus === 'bank:name' || focus === 'bank:password'
				? bankModes(bank)
				: paneModes;
		return [...appModes, ...focused];
	};

	return {...client, screen, bank, focus, modes};
}

/** The pane under the logs: the trust question, the failure, or the bank. */
export function ClientBottomPane({
	app,
	rect,
	target,
}: {
	readonly app: ClientApp;
	readonly rect: Rect;
	readonly target: string;
}) {
	const {session, screen, bank, focus} = app;
	if (session.trust && screen.kind === 'normal') {
		return <TrustPrompt prompt={session.trust} width={rect.width} height={rect.height} />;
	}

	if (screen.kind === 'failed') {
		return (
			<FailurePane
				message={screen.message}
				detail={screen.detail}
				exitCode={screen.exitCode}
				width={rect.width}
				height={rect.height}
			/>
		);
	}

	const focused = focus === 'bank' || focus === 'bank:name' || focus === 'bank:password';
	return (
		<BankPane
			view={bank}
			width={rect.width}
			height={rect.height}
			isFocused={focused}
			target={target}
		/>
	);
}
