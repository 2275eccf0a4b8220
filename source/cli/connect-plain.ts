/**
 * `securebank connect HOST:PORT --plain [--json]`: the scriptable client.
 *
 * As `ssh -v` does (CLARIFICATIONS.md 3), the event log (handshake steps, checks, warnings) goes
 * to standard error and results to standard output: exactly one result line per command read
 * from standard input, one JSON object per line with --json. It exits at the end of input.
 *
 * Commands: login NAME PASSWORD | signup NAME PASSWORD | deposit AMOUNT | withdraw AMOUNT |
 * balance | history [N] | transfer AMOUNT TO_ACCOUNT | quit. A password is the rest of its line
 * after the name, so it may hold spaces.
 *
 * Exit codes: 0 ok; 3 host key; 4 a login failed (the session stops there); 5 connection lost.
 */
import {createInterface} from 'node:readline';
import {formatCents, parseAmount} from '../bank/money.js';
import type {BankResult, HistoryEntry, UnknownHostKey} from '../net/api.js';
import {BankClient, BankConnectionError} from '../net/bank-client.js';
import {connect, ConnectError, type ClientSession} from '../net/client.js';
import {formatEvent} from './format-event.js';
import {knownHostsFile} from './paths.js';
import {chosenSuites, type CliFlags} from './run.js';

type Result = {
	readonly command: string;
	readonly ok: boolean;
	readonly text: string;
	readonly json: Record<string, unknown>;
	/** A failed login ends the session with exit code 4. */
	readonly authFailed?: boolean;
};

function refusal(command: string, code: string, message: string, authFailed = false): Result {
	return {
		command,
		ok: false,
		text: `error ${command} ${code}: ${message}`,
		json: {command, ok: false, error: {code, message}},
		authFailed,
	};
}

function moneyResult(
	command: string,
	result: BankResult<{readonly balanceCents: number}>,
	amountCents?: number,
	extra: Record<string, unknown> = {},
): Result {
	if (!result.ok) return refusal(command, result.error.code, result.error.message);
	const amount = amountCents === undefined ? '' : ` ${formatCents(amountCents)}`;
	const target = typeof extra['to'] === 'string' ? ` to ${extra['to']}` : '';
	return {
		command,
		ok: true,
		text: `ok ${command}${amount}${target} balance ${formatCents(result.value.balanceCents)}`,
		json: {
			command,
			ok: true,
			...(amountCents === undefined ? {} : {amount: formatCents(amountCents), amountCents}),
			...extra,
			balance: formatCents(result.value.balanceCents),
			balanceCents: result.value.balanceCents,
		},
	};
}

function historyText(entries: readonly HistoryEntry[]): string {
	return entries
		.map(
			(entry) =>
				`${entry.time} ${entry.kind} ${formatCents(entry.amountCents)} → ${formatCents(entry.balanceAfterCents)}${entry.counterparty ? ` (${entry.counterparty})` : ''}`,
		)
		.join('; ');
}

/** Runs one command line against the bank; never throws for bad input. */
export async function runBankCommand(bank: BankClient, line: string): Promise<Result | undefined> {
	const words = line.trim().split(/\s+/);
	const [command = '', ...args] = words;
	if (command === '' || command.startsWith('#')) return undefined;
	const amountOf = (text: string | undefined): number | Result => {
		const parsed = parseAmount(text ?? '');
		return parsed.ok
			? parsed.cents
			: refusal(command, 'invalid_amount', `"${text ?? ''}": ${parsed.error}`);
	};

	switch (command) {
		case 'login':
		case 'signup': {
			// The password is the rest of the line, spaces and all, as `accounts add` reads it.
			const parts = /^\s*\S+\s+(\S+)\s+(.+)$/u.exec(line);
			if (!parts)
				return refusal(command, 'usage', `${command} NAME PASSWORD (the rest of the line)`);
			const [, name = '', password = ''] = parts;
			const result =
				command === 'login' ? await bank.login(name, password) : await bank.signup(name, password);
			if (!result.ok)
				return refusal(
					command,
					result.error.code,
					result.error.message,
					// Authentication failed: wrong name or password, or the account is locked. Logging
					// in twice is refused too, but the session is still logged in and goes on.
					command === 'login' && result.error.code !== 'already_logged_in',
				);
			return {
				command,
				ok: true,
				text: `ok ${command} ${result.value.name} balance ${formatCents(result.value.balanceCents)}`,
				json: {
					command,
					ok: true,
					account: result.value.name,
					balance: formatCents(result.value.balanceCents),
					balanceCents: result.value.balanceCents,
				},
			};
		}

		case 'deposit':
		case 'withdraw': {
			if (args.length !== 1) return refusal(command, 'usage', `${command} AMOUNT`);
			const cents = amountOf(args[0]);
			if (typeof cents !== 'number') return cents;
			return moneyResult(
				command,
				command === 'deposit' ? await bank.deposit(cents) : await bank.withdraw(cents),
				cents,
			);
		}

		case 'transfer': {
			if (args.length !== 2) return refusal(command, 'usage', 'transfer AMOUNT TO_ACCOUNT');
			const cents = amountOf(args[0]);
			if (typeof cents !== 'number') return cents;
			return moneyResult(command, await bank.transfer(cents, args[1]!), cents, {to: args[1]});
		}

		case 'balance': {
			if (args.length > 0) return refusal(command, 'usage', 'balance takes no arguments');
			return moneyResult(command, await bank.balance());
		}

		case 'history': {
			const limit = args[0] === undefined ? undefined : Number(args[0]);
			if (
				args.length > 1 ||
				(limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 100))
			) {
				return refusal(command, 'usage', 'history [N], N from 1 to 100');
			}

			const result = await bank.history(limit === undefined ? {} : {limit});
			if (!result.ok) return refusal(command, result.error.code, result.error.message);
			const {entries, balanceCents} = result.value;
			return {
				command,
				ok: true,
				text: `ok history ${entries.length} entries${entries.length > 0 ? `: ${historyText(entries)}` : ''} balance ${formatCents(balanceCents)}`,
				json: {
					command,
					ok: true,
					entries: entries.map((entry) => ({
						...entry,
						amount: formatCents(entry.amountCents),
						balanceAfter: formatCents(entry.balanceAfterCents),
					})),
					balance: formatCents(balanceCents),
					balanceCents,
				},
			};
		}

		default: {
			return refusal(
				command,
				'unknown_command',
				'commands: login, signup, deposit, withdraw, balance, history, transfer, quit',
			);
		}
	}
}

/** Asks on the terminal, as ssh does, when a host key was never seen; no terminal means no. */
async function askOnTerminal(question: string): Promise<boolean> {
	const rl = createInterface({input: process.stdin, output: process.stderr});
	const ask = async (prompt: string) =>
		new Promise<string>((resolve) => rl.question(prompt, resolve));
	let prompt = question;
	try {
		for (;;) {
			const answer = (await ask(prompt)).trim().toLowerCase();
			if (answer === 'yes') return true;
			if (answer === 'no' || answer === '') return false;
			prompt = "Please type 'yes' or 'no': ";
		}
	} finally {
		rl.close();
	}
}

export async function connectPlain(
	target: {host: string; port: number},
	flags: CliFlags,
): Promise<number> {
	const log = (line: string) => process.stderr.write(`${line}\n`);
	let suites = chosenSuites(flags);
	let session: ClientSession;
	try {
		if (flags.insecureTeaching)
			suites = (await import('../net/teaching-host-key.js')).teachingClientSuites(suites);
		session = await connect({
			host: target.host,
			port: target.port,
			knownHostsFile: knownHostsFile(flags.knownHosts),
			acceptNew: flags.acceptNew,
			...(flags.fingerprint ? {fingerprint: flags.fingerprint} : {}),
			...(suites ? {suites} : {}),
			allowInsecure: flags.insecureTeaching,
			showSecrets: flags.showSecrets,
			onEvent(event) {
				if (event.type === 'trust' && event.status === 'changed') {
					log('@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@');
					log('@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @');
					log('@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@');
				}

				const line = formatEvent(event);
				if (line) log(line);
			},
			// Only a person at a terminal is asked; a script gets the hint to use --accept-new.
			...(process.stdin.isTTY
				? {
						async decideUnknownHost(key: UnknownHostKey) {
							return askOnTerminal(
								`The authenticity of host '${key.host}' can't be established.\n${key.keyType} key fingerprint is ${key.fingerprint}.\nTrust this host and remember it? (yes/no) `,
							);
						},
					}
				: {}),
		});
	} catch (error) {
		if (error instanceof ConnectError) {
			log(`securebank: ${error.message}`);
			return error.exitCode;
		}

		throw error;
	}

	const bank = new BankClient(session);
	const print = (result: Result) =>
		process.stdout.write(`${flags.json ? JSON.stringify(result.json) : result.text}\n`);
	let exitCode = 0;
	const input = createInterface({input: process.stdin, crlfDelay: Infinity, terminal: false});
	try {
		for await (const line of input) {
			if (/^\s*(quit|exit)\s*$/.test(line)) {
				print({command: 'quit', ok: true, text: 'ok quit', json: {command: 'quit', ok: true}});
				break;
			}

			let result: Result | undefined;
			try {
				result = await runBankCommand(bank, line);
			} catch (error) {
				if (error instanceof BankConnectionError) {
					print(refusal(line.trim().split(/\s+/)[0] ?? '', 'connection_lost', error.message));
					exitCode = 5;
					break;
				}

				throw error;
			}

			if (!result) continue;
			print(result);
			if (result.authFailed) {
				exitCode = 4;
				break;
			}
		}
	} finally {
		input.close();
	}

	if (!session.channel.closed) {
		if (exitCode === 0) await bank.logout().catch(() => undefined);
		session.close('client done');
	}

	await session.closed;
	return exitCode;
}
