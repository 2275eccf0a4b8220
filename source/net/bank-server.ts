/**
 * The bank server: host keys and the ledger from the data folder, the secure server in front,
 * one bank session per secure session. What `securebank serve` and `demo` run.
 *
 * Requests of one session are answered one at a time, in order; sessions run concurrently and
 * meet in the ledger's group commit. No reply leaves before its operation is durable (the
 * service resolves only after the commit).
 */
import {loadOrCreateHostKeys, type HostKey} from '../crypto/host-keys.js';
import {DEFAULT_SUITE_IDS, suiteById} from '../crypto/suites.js';
import type {BankActivity} from '../bank/activity.js';
import {createBankService, type BankService} from '../bank/service.js';
import {openSqliteLedgerStore} from '../bank/store-sqlite.js';
import type {LedgerStore} from '../bank/store.js';
import {PolicyViolationError} from '../protocol/errors.js';
import type {ProtocolEvent} from '../protocol/events.js';
import type {LocalHostKey} from '../protocol/host-key-algorithms.js';
import type {LedgerActivity, ServerActivity, ServerController} from './api.js';
import {SecureServer, type ServerConfig} from './server.js';

export type BankServerOptions = Omit<ServerConfig, 'hostKeys'> & {
	readonly dataDirectory: string;
	readonly allowSignup?: boolean;
	/** Extra host keys (the teaching suite's); the secure ones come from the data folder. */
	readonly extraHostKeys?: readonly LocalHostKey[];
	/** A store to use instead of the data folder's SQLite ledger (tests, PostgreSQL later). */
	readonly store?: LedgerStore;
	readonly maxBatch?: number;
	/**
	 * Publish every handshake step (checks, key fingerprints, message descriptions), as the serve
	 * screen shows them; false keeps connection, completion, alert, error and close events only,
	 * and spares the server building the rest. Default true.
	 */
	readonly handshakeDetail?: boolean;
	readonly scryptCost?: {N: number; r: number; p: number};
};

export type BankServer = ServerController & {
	readonly port: number;
	readonly createdHostKeys: readonly string[];
	readonly service: BankService;
	readonly secure: SecureServer;
};

function activityLine(activity: BankActivity): Omit<LedgerActivity, 'time' | 'connectionId'> {
	switch (activity.kind) {
		case 'login':
		case 'signup':
		case 'logout': {
			return {account: activity.account, kind: activity.kind, ok: true, detail: activity.kind};
		}

		case 'login-failed': {
			return {account: activity.name, kind: 'login', ok: false, detail: 'login failed'};
		}

		case 'login-locked': {
			return {
				account: activity.name,
				kind: 'login',
				ok: false,
				detail: `locked until ${activity.lockedUntil}`,
			};
		}

		case 'deposit':
		case 'withdraw': {
			return {
				account: activity.account,
				kind: activity.kind,
				amountCents: activity.amount,
				balanceAfterCents: activity.balance,
				ok: true,
				detail: activity.replayed ? 'retry: original result, nothing applied' : 'applied',
			};
		}

		case 'transfer': {
			return {
				account: activity.account,
				kind: 'transfer',
				amountCents: activity.amount,
				balanceAfterCents: activity.balance,
				ok: true,
				detail: `to ${activity.to}${activity.replayed ? ' (retry: original result)' : ''}`,
			};
		}

		case 'refused': {
			return {
				account: activity.account ?? '-',
				kind: activity.op ?? 'malformed',
				ok: false,
				detail: `${activity.code}: ${activity.message}`,
			};
		}

		case 'internal-error': {
			return {
				account: activity.account ?? '-',
				kind: activity.op ?? 'request',
				ok: false,
				detail: `internal error: ${activity.message}`,
			};
		}
	}
}

/** How much activity a late subscriber is replayed. */
const RECENT_ACTIVITY = 2000;

/** Opens the data folder (host keys, ledger) and starts listening. */
export async function startBankServer(options: BankServerOptions): Promise<BankServer> {
	const suites = options.suites ?? DEFAULT_SUITE_IDS;
	const keyTypes = [
		...new Set(
			suites
				.map((id) => suiteById(id)?.hostKey)
				.filter((type) => type === 'ed25519' || type === 'rsa-3072'),
		),
	];
	const {keys, created} = loadOrCreateHostKeys(options.dataDirectory, keyTypes);
	// The ledger opens (and migrates) once the port is ours, below: a server that cannot listen (the
	// port taken, say by the securebank it was meant to replace) leaves the ledger file as it was.
	let bankService: BankService;
	const listeners = new Set<(activity: ServerActivity) => void>();
	// A subscriber that asks (the screen mounts after the server listens) first gets what it missed.
	// A ring: once full, each publish overwrites the oldest entry (splicing the front of a full
	// 2000-entry array moves all of them: about 12 µs per activity, 2 activities per operation).
	const recent: ServerActivity[] = [];
	let oldest = 0;
	const publish = (activity: ServerActivity) => {
		if (recent.length < RECENT_ACTIVITY) {
			recent.push(activity);
		} else {
			recent[oldest] = activity;
			oldest = (oldest + 1) % RECENT_ACTIVITY;
		}

		for (const listener of listeners) listener(activity);
	};

	const sessionsByPeer = new Map<
		string,
		{connectionId: number; operations: number; account?: string}
	>();

	const hostKeys: Array<HostKey | LocalHostKey> = [...keys, ...(options.extraHostKeys ?? [])];
	const secure = new SecureServer(
		{...options, suites, hostKeys},
		{
			onEvent(connectionId, peer, event: ProtocolEvent) {
				publish({type: 'connection-event', connectionId, peer, event});
			},
			wantsDetail: () => options.handshakeDetail ?? true,
			onSession(session) {
				const label = `${session.peer}#${session.id}`;
				const state: {connectionId: number; operations: number; account?: string} = {
					connectionId: session.id,
					operations: 0,
				};
				sessionsByPeer.set(label, state);
				// Set before any connection could get here (see below).
				const bank = bankService.openSession(label);
				let queue: Promise<void> = Promise.resolve();
				session.onData((data) => {
					const request = Buffer.from(data);
					queue = queue.then(async () => {
						if (session.channel.closed) return;
						const handled = await bank.handle(request);
						state.operations++;
						if (bank.account === undefined) {
							delete state.account;
						} else {
							state.account = bank.account;
						}

						publish({
							type: 'session-update',
							connectionId: session.id,
							operations: state.operations,
							...(state.account ? {account: state.account} : {}),
						});
						if (session.channel.closed) return;
						session.send(handled.response);
						if (handled.close) {
							session.channel.apply(
								session.channel.connection.abort(
									new PolicyViolationError('records', 'too many malformed requests in a row'),
								),
							);
						}
					});
				});
				void session.closed.then(() => sessionsByPeer.delete(label));
			},
		},
	);
	const address = await secure.listen();
	// This runs before the event loop takes its next I/O callback, so the service exists before
	// any connection can reach onSession.
	try {
		const store = options.store ?? openSqliteLedgerStore(options.dataDirectory);
		bankService = createBankService({
			store,
			allowSignup: options.allowSignup ?? false,
			...(options.maxBatch ? {maxBatch: options.maxBatch} : {}),
			...(options.scryptCost ? {scryptCost: options.scryptCost} : {}),
		});
	} catch (error) {
		await secure.close();
		throw error;
	}

	bankService.onActivity((activity) => {
		const session = sessionsByPeer.get(activity.peer);
		const connectionId = session?.connectionId ?? 0;
		publish({
			type: 'ledger',
			activity: {time: new Date().toISOString(), connectionId, ...activityLine(activity)},
		});
	});

	const display = `${address.address}:${address.port}`;
	// The listening address is the controller's `address`; it is not a connection's event.

	let stopping: Promise<void> | undefined;
	return {
		address: display,
		port: address.port,
		createdHostKeys: created,
		hostKeys: secure.hostKeys.map((key) => ({type: key.type, fingerprint: key.fingerprint})),
		service: bankService,
		secure,
		subscribe(listener, subscription) {
			if (subscription?.replay) {
				for (let index = 0; index < recent.length; index++) {
					listener(recent[(oldest + index) % recent.length]!);
				}
			}

			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		async stop() {
			stopping ??= secure.close(async () => bankService.close());
			return stopping;
		},
	};
}
