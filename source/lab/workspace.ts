/**
 * The stage every lab scenario runs on, all in one process over loopback (127.0.0.1, port 0):
 * a temporary folder (removed at the end, nothing left behind), bank servers with their data
 * folders, and customers that connect with the real client (source/net/client.ts) and bank
 * through BankClient.
 *
 * A bank may allow the INSECURE teaching suite (0x7f01, textbook RSA + S-DES); importing this
 * module registers it (source/protocol/teaching-suite.ts), as `--insecure-teaching` does.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {BankSession} from '../bank/service.js';
import {decodeResponse, encodeRequest, type BankRequest, type BankResponse} from '../bank/wire.js';
import {
	generateHostKey,
	saveHostKey,
	type HostKey,
	type HostKeyAlgorithm,
} from '../crypto/host-keys.js';
import {suiteById} from '../crypto/suites.js';
import type {TextbookRsaPrivateKey} from '../crypto/teaching/index.js';
import type {ConnectOptions} from '../net/api.js';
import {BankClient} from '../net/bank-client.js';
import {startBankServer, type BankServer} from '../net/bank-server.js';
import {connect, ConnectError, type ClientSession} from '../net/client.js';
import {loadOrCreateTeachingKey} from '../net/teaching-host-key.js';
import type {EventOf, ProtocolEvent} from '../protocol/events.js';
import type {LocalHostKey} from '../protocol/host-key-algorithms.js';
import {
	SUITE_TEACHING_TEXTBOOK_RSA_SHA1_SDES,
	TEACHING_MODULUS_BITS,
	teachingLocalHostKey,
} from '../protocol/teaching-suite.js';

export const LOOPBACK = '127.0.0.1';
export const TEACHING = SUITE_TEACHING_TEXTBOOK_RSA_SHA1_SDES;
/** Cheap password hashing: the lab is about the channel, not about scrypt. */
export const LAB_SCRYPT_COST = {N: 1024, r: 8, p: 1};
export const CUSTOMER = 'alice';
export const CUSTOMER_PASSWORD = 'correct horse battery staple';

/** A temporary folder and everything to stop before it is removed. */
export class LabWorkspace {
	readonly root = mkdtempSync(join(tmpdir(), 'securebank-lab-'));
	private readonly cleanups: Array<() => unknown> = [];

	path(name: string): string {
		return join(this.root, name);
	}

	/** Runs at dispose, last registered first. */
	defer(cleanup: () => unknown): void {
		this.cleanups.push(cleanup);
	}

	async dispose(): Promise<void> {
		while (this.cleanups.length > 0) {
			const cleanup = this.cleanups.pop()!;
			try {
				await cleanup();
			} catch {
				// Tearing down: one failed close must not leave the rest (or the folder) behind.
			}
		}

		rmSync(this.root, {recursive: true, force: true});
	}
}

export async function withWorkspace<T>(run: (workspace: LabWorkspace) => Promise<T>): Promise<T> {
	const workspace = new LabWorkspace();
	try {
		return await run(workspace);
	} finally {
		await workspace.dispose();
	}
}

const hostKeyCache = new Map<HostKeyAlgorithm, HostKey>();

/** One Ed25519 and one RSA-3072 key per process: RSA-3072 takes a second or two to generate. */
function labHostKey(type: HostKeyAlgorithm): HostKey {
	let key = hostKeyCache.get(type);
	if (!key) {
		key = generateHostKey(type);
		hostKeyCache.set(type, key);
	}

	return key;
}

export type LabBankOptions = {
	readonly suites: readonly number[];
	/** Modulus size of the textbook RSA key when the teaching suite is allowed. */
	readonly teachingBits?: number;
};

export type LabBank = {
	readonly server: BankServer;
	readonly port: number;
	readonly suites: readonly number[];
	/** The INSECURE textbook RSA key, when the bank allows the teaching suite. */
	readonly teachingKey?: TextbookRsaPrivateKey;
	readonly hostKeys: readonly LocalHostKey[];
	hostKey(type: LocalHostKey['type']): LocalHostKey;
	/** Suite names, for the setup lines. */
	describe(): string;
};

/** A bank on 127.0.0.1:0 with its own data folder, signup open, cheap scrypt. */
export async function startLabBank(
	workspace: LabWorkspace,
	name: string,
	options: LabBankOptions,
): Promise<LabBank> {
	const dataDirectory = workspace.path(name);
	const types = new Set(options.suites.map((id) => suiteById(id)?.hostKey));
	for (const type of ['ed25519', 'rsa-3072'] as const) {
		if (types.has(type)) saveHostKey(dataDirectory, labHostKey(type));
	}

	const teachingKey = options.suites.includes(TEACHING)
		? loadOrCreateTeachingKey(dataDirectory, options.teachingBits ?? TEACHING_MODULUS_BITS)
		: undefined;
	const server = await startBankServer({
		host: LOOPBACK,
		port: 0,
		dataDirectory,
		allowSignup: true,
		scryptCost: LAB_SCRYPT_COST,
		suites: options.suites,
		allowInsecure: teachingKey !== undefined,
		...(teachingKey ? {extraHostKeys: [teachingLocalHostKey(teachingKey)]} : {}),
	});
	workspace.defer(async () => server.stop());
	const {hostKeys} = server.secure;
	return {
		server,
		port: server.port,
		suites: options.suites,
		...(teachingKey ? {teachingKey} : {}),
		hostKeys,
		hostKey(type) {
			const key = hostKeys.find((candidate) => candidate.type === type);
			if (!key) throw new Error(`the lab bank has no ${type} host key`);
			return key;
		},
		describe: () => options.suites.map((id) => suiteById(id)?.name ?? String(id)).join(', '),
	};
}

/** The server's own view, without the network: a bank session opened in-process. */
export async function bankRequest(
	session: BankSession,
	request: BankRequest,
): Promise<BankResponse> {
	const handled = await session.handle(encodeRequest(request));
	const decoded = decodeResponse(handled.response);
	if (!decoded.ok) throw new Error(`the lab bank answered something unreadable: ${decoded.error}`);
	return decoded.response;
}

/** Opens the customer's account (setup, not part of any attack). */
export async function openAccount(
	bank: LabBank,
	name = CUSTOMER,
	password = CUSTOMER_PASSWORD,
): Promise<void> {
	const session = bank.server.service.openSession('lab-setup');
	const response = await bankRequest(session, {id: 1, op: 'signup', name, password});
	if (!response.ok)
		throw new Error(`lab setup: signup of ${name} failed: ${response.error.message}`);
}

/** The balance in the bank's ledger, read in-process (the bank's truth, not what a client says). */
export async function ledgerBalance(
	bank: LabBank,
	name = CUSTOMER,
	password = CUSTOMER_PASSWORD,
): Promise<number> {
	const session = bank.server.service.openSession('lab-auditor');
	const login = await bankRequest(session, {id: 1, op: 'login', name, password});
	if (!login.ok || login.op !== 'login') throw new Error(`lab audit: login of ${name} failed`);
	return login.balance;
}

export type CustomerConnection = {
	readonly session: ClientSession;
	readonly bank: BankClient;
	readonly events: ProtocolEvent[];
	close(): Promise<void>;
};

export type CustomerAttempt =
	| ({readonly ok: true} & CustomerConnection)
	| {readonly ok: false; readonly error: ConnectError; readonly events: ProtocolEvent[]};

export type CustomerOptions = Omit<ConnectOptions, 'host' | 'onEvent'>;

/** The real client (known_hosts trust and all), then BankClient over the session. */
export async function connectCustomer(options: CustomerOptions): Promise<CustomerAttempt> {
	const events: ProtocolEvent[] = [];
	try {
		const session = await connect({
			...options,
			host: LOOPBACK,
			onEvent(event) {
				events.push(event);
			},
		});
		return {
			ok: true,
			session,
			bank: new BankClient(session),
			events,
			async close() {
				session.close('customer done');
				await session.closed;
			},
		};
	} catch (error) {
		if (error instanceof ConnectError) return {ok: false, error, events};
		throw error;
	}
}

/** Like connectCustomer, but a failure to connect is a lab error. */
export async function mustConnectCustomer(options: CustomerOptions): Promise<CustomerConnection> {
	const attempt = await connectCustomer(options);
	if (!attempt.ok) throw new Error(`lab: the customer could not connect: ${attempt.error.message}`);
	return attempt;
}

/** The client options of a customer who opted in to the teaching suite (`--insecure-teaching`). */
export function teachingClient(knownHostsFile: string, port: number): CustomerOptions {
	return {port, knownHostsFile, acceptNew: true, suites: [TEACHING], allowInsecure: true};
}

/** The first event of a type, typed. */
export function firstEvent<T extends ProtocolEvent['type']>(
	events: readonly ProtocolEvent[],
	type: T,
): EventOf<T> | undefined {
	return events.find((event): event is EventOf<T> => event.type === type);
}

/** What every recorded session carries: log in, deposit, ask the balance. Returns the balance. */
export async function bankAsUsual(
	customer: CustomerConnection,
	depositCents: number,
): Promise<number> {
	const login = await customer.bank.login(CUSTOMER, CUSTOMER_PASSWORD);
	if (!login.ok) throw new Error(`lab: login failed: ${login.error.message}`);
	const deposit = await customer.bank.deposit(depositCents);
	if (!deposit.ok) throw new Error(`lab: deposit failed: ${deposit.error.message}`);
	const balance = await customer.bank.balance();
	if (!balance.ok) throw new Error(`lab: balance failed: ${balance.error.message}`);
	return balance.value.balanceCents;
}
