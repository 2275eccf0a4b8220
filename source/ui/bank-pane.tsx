/**
 * The bank pane: login form, then the menu with the balance always in the title, the amount or
 * transfer form and the history table beside it, and every result or refusal on the lines just
 * under the menu. Render-only: state from bank-view.ts, keys in use-bank.ts.
 */
import {Box, Text} from 'ink';
import React from 'react';
import {formatCents, validatePartialAmount} from '../bank/money.js';
import {MENU, type AmountForm, type BankView} from './bank-view.js';
import {padEnd, type Line} from './format.js';
import {HISTORY_HEADER_ROWS, historyLines} from './history-lines.js';
import {LineList, Pane, PANE_CHROME} from './pane.js';

const caret = '▏';
const menuWidth = 16;

export type BankPaneProps = {
	readonly view: BankView;
	readonly width: number;
	readonly height: number;
	readonly isFocused: boolean;
	readonly target: string;
};

/**
 * Rows beside the menu (the form or the history) in a pane this tall: what the border leaves, less
 * the one line under the menu for results and refusals, and never fewer than the menu's items.
 */
function bodyRows(paneHeight: number): number {
	const inner = Math.max(1, paneHeight - PANE_CHROME.rows);
	return Math.max(MENU.length, inner - 1);
}

/** How many history entries a pane this tall shows: the length of a history page. */
export function historyRowsFor(paneHeight: number): number {
	return Math.max(1, bodyRows(paneHeight) - HISTORY_HEADER_ROWS);
}

function title(view: BankView): string {
	if (view.account !== undefined) {
		return `Bank · ${view.account} · balance ${view.balanceCents === undefined ? '…' : formatCents(view.balanceCents)}`;
	}

	if (view.phase === 'waiting') return 'Bank · not connected yet';
	return view.login.mode === 'signup' ? 'Bank · open an account' : 'Bank · log in';
}

/** What the amount typed so far means, shown under the field as the user types. */
export function amountStatus(text: string, maxCents: number): Line {
	const partial = validatePartialAmount(text, {maxCents});
	switch (partial.status) {
		case 'empty': {
			return {text: `type an amount, e.g. 12.34 (at most ${formatCents(maxCents)})`, dim: true};
		}

		case 'incomplete': {
			return {text: `… ${partial.hint}`, color: 'yellow'};
		}

		case 'invalid': {
			return {text: `✗ ${partial.error}`, color: 'red'};
		}

		case 'complete': {
			return {text: `✓ ${formatCents(partial.cents)}`, color: 'green'};
		}
	}
}

function loginLines(view: BankView, focused: boolean, target: string): Line[] {
	const {login} = view;
	const field = (name: 'name' | 'password', label: string, value: string): Line => {
		const active = focused && login.field === name;
		return {
			text: `${active ? '›' : ' '} ${padEnd(label, 9)} ${value}${active ? caret : ''}`,
			bold: active,
		};
	};

	const lines: Line[] = [
		{
			text: login.mode === 'signup' ? `Open an account at ${target}` : `Log in to ${target}`,
			dim: true,
		},
		field('name', 'Name', login.name),
		field('password', 'Password', '•'.repeat([...login.password].length)),
	];
	if (login.error) lines.push({text: login.error, color: 'red'});
	if (view.request)
		lines.push({
			text: login.mode === 'signup' ? '… opening the account' : '… logging in',
			color: 'yellow',
		});
	if (view.signupAllowed) {
		lines.push({
			text:
				login.mode === 'signup'
					? '^O: log in to an existing account instead'
					: '^O: open an account instead',
			dim: true,
		});
	}

	return lines;
}

function formLines(form: AmountForm, maxCents: number, focused: boolean): Line[] {
	const heading = {deposit: 'Deposit', withdraw: 'Withdraw', transfer: 'Transfer'}[form.operation];
	const onAmount = form.field === 'amount';
	const lines: Line[] = [
		{text: heading, bold: true},
		{
			text: `${onAmount ? '›' : ' '} Amount ${form.amount}${onAmount && focused ? caret : ''}`,
			bold: onAmount,
		},
	];
	if (onAmount) lines.push(amountStatus(form.amount, maxCents));
	if (form.operation === 'transfer') {
		const onTarget = form.field === 'to';
		lines.push({
			text: `${onTarget ? '›' : ' '} To     ${form.to}${onTarget && focused ? caret : ''}`,
			bold: onTarget,
		});
		if (onTarget) lines.push({text: 'the account to send to', dim: true});
	}

	if (form.error) lines.push({text: `✗ ${form.error}`, color: 'red'});
	return lines;
}

function menuLines(view: BankView, focused: boolean): Line[] {
	return MENU.map((item, index) => {
		const selected = index === view.menuIndex;
		return {
			text: `${selected ? '›' : ' '} ${item.shortcut} ${item.label}`,
			inverse: selected && focused && !view.form,
			bold: selected,
		};
	});
}

function messageLines(view: BankView): Line[] {
	if (view.request) {
		const busy = view.request.call.op === 'logout' ? '… logging out' : `… ${view.request.call.op}`;
		return [{text: busy, color: 'yellow'}];
	}

	if (!view.message) return [];
	return [
		{
			text: view.message.text,
			color: view.message.tone === 'bad' ? 'red' : view.message.tone === 'ok' ? 'green' : undefined,
		},
	];
}

export function BankPane({view, width, height, isFocused: focused, target}: BankPaneProps) {
	const inner = Math.max(1, height - PANE_CHROME.rows);
	const innerWidth = width - PANE_CHROME.columns;
	if (view.phase === 'waiting' || view.phase === 'login') {
		const lines =
			view.phase === 'waiting'
				? [{text: 'The bank opens once the secure channel is ready.', dim: true}]
				: loginLines(view, focused, target);
		return (
			<Pane title={title(view)} isFocused={focused} width={width} height={height}>
				<LineList
					lines={[...lines, ...(view.phase === 'waiting' ? messageLines(view) : [])].slice(
						0,
						inner,
					)}
				/>
			</Pane>
		);
	}

	// At most one message line; the line is kept when empty so the layout does not jump.
	const messages = messageLines(view);
	const bodyHeight = bodyRows(height);
	const contentWidth = Math.max(10, innerWidth - menuWidth - 1);
	let content: Line[];
	if (view.phase === 'exiting' || view.phase === 'exited')
		content = [{text: 'Logging out and closing the connection…', dim: true}];
	else if (view.form) content = formLines(view.form, view.maxAmountCents, focused);
	else if (view.history) content = historyLines(view.history, contentWidth, bodyHeight);
	else content = [{text: 'Choose an operation: arrows and Enter, or its key.', dim: true}];
	return (
		<Pane title={title(view)} isFocused={focused} width={width} height={height}>
			<Box flexDirection="row" height={bodyHeight}>
				<Box flexDirection="column" width={menuWidth} flexShrink={0}>
					<LineList lines={menuLines(view, focused)} />
				</Box>
				<Box
					flexDirection="column"
					width={contentWidth}
					marginLeft={1}
					flexShrink={0}
					overflow="hidden"
				>
					<LineList lines={content.slice(0, bodyHeight)} />
				</Box>
			</Box>
			<Box flexDirection="column" width={innerWidth}>
				{messages.length > 0 ? <LineList lines={messages} /> : <Text> </Text>}
			</Box>
		</Pane>
	);
}
