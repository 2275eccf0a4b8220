/**
 * What the network layer offers the screens and the plain CLI: the shapes only, so that the UI can
 * be written and tested against fakes. Implementations: ./client.ts, ./server.ts, ./bank-client.ts.
 */
import type {ProtocolEvent, SuiteSummary, TrustStatus} from '../protocol/events.js';

/** A host key the client has never seen for this host: the UI asks "Trust this host?". */
export type UnknownHostKey = {
	readonly host: string;
	readonly keyType: string;
	readonly fingerprint: string;
	readonly knownHostsFile: string;
};

export type ConnectOptions = {
	readonly host: string;
	readonly port: number;
	/** known_hosts file (default: the data folder's known_hosts). */
	readonly knownHostsFile: string;
	/** Accept and remember a key never seen before (like ssh -o StrictHostKeyChecking=accept-new). */
	readonly acceptNew?: boolean;
	/** Only this host key fingerprint is accepted ("SHA256:..."). */
	readonly fingerprint?: string;
	/** Called for an unknown host key when neither acceptNew nor a fingerprint decides it. */
	readonly decideUnknownHost?: (key: UnknownHostKey) => Promise<boolean>;
	readonly suites?: readonly number[];
	readonly allowInsecure?: boolean;
	readonly showSecrets?: boolean;
	readonly handshakeTimeoutMs?: number;
	readonly idleTimeoutMs?: number;
	/** Every event of the connection, in order, from the first SYN to the close. */
	readonly onEvent?: (event: ProtocolEvent) => void;
};

export type SessionInfo = {
	readonly peer: string;
	readonly suite: SuiteSummary;
	readonly hostKeyType: string;
	readonly hostKeyFingerprint: string;
	readonly trust: TrustStatus;
	readonly forwardSecrecy: boolean;
	readonly insecure: boolean;
};

// ---------------------------------------------------------------------------------------------
// The bank, as the client screens and the plain client use it (./bank-client.ts implements it)

export type BankError = {readonly code: string; readonly message: string};
export type BankResult<T> =
	{readonly ok: true; readonly value: T} | {readonly ok: false; readonly error: BankError};

export type HistoryEntry = {
	readonly id: number;
	readonly kind: 'deposit' | 'withdraw' | 'transfer-in' | 'transfer-out';
	readonly amountCents: number;
	readonly balanceAfterCents: number;
	/** ISO 8601. */
	readonly time: string;
	readonly counterparty?: string;
};

/** A page of the history as the bank sends it (PROTOCOL.md §11). */
export type HistoryPage = {
	readonly entries: readonly HistoryEntry[];
	/** The `before` that asks for the next older page: the oldest entry's id, or null at the end. */
	readonly nextBefore: number | null;
	readonly balanceCents: number;
};

export type BankApi = {
	/** Whether the server lets clients open an account themselves (`serve --signup`). */
	serverInfo(): Promise<BankResult<{readonly signup: boolean; readonly maxAmountCents: number}>>;
	login(
		name: string,
		password: string,
	): Promise<BankResult<{readonly name: string; readonly balanceCents: number}>>;
	signup(
		name: string,
		password: string,
	): Promise<BankResult<{readonly name: string; readonly balanceCents: number}>>;
	deposit(amountCents: number): Promise<BankResult<{readonly balanceCents: number}>>;
	withdraw(amountCents: number): Promise<BankResult<{readonly balanceCents: number}>>;
	balance(): Promise<BankResult<{readonly balanceCents: number}>>;
	/**
	 * One page of the history, newest first (PROTOCOL.md §11). `before` is the `nextBefore` of the
	 * page before, for the next older page; `nextBefore` is null when there is no older page.
	 */
	history(options?: {
		readonly limit?: number;
		readonly before?: number;
	}): Promise<BankResult<HistoryPage>>;
	transfer(amountCents: number, to: string): Promise<BankResult<{readonly balanceCents: number}>>;
	logout(): Promise<BankResult<Record<string, never>>>;
};

/** A connected client, as `securebank connect` gets it after the handshake. */
export type ClientConnectionHandle = {
	readonly info: SessionInfo;
	readonly bank: BankApi;
	/** Resolves when the connection has closed, with the reason. */
	readonly closed: Promise<string>;
	close(): void;
};

// ---------------------------------------------------------------------------------------------
// The server, as `securebank serve` shows it

export type LedgerActivity = {
	readonly time: string;
	readonly connectionId: number;
	readonly account: string;
	readonly kind: string;
	readonly amountCents?: number;
	readonly balanceAfterCents?: number;
	readonly ok: boolean;
	readonly detail: string;
};

export type ServerActivity =
	| {
			readonly type: 'connection-event';
			readonly connectionId: number;
			readonly peer: string;
			readonly event: ProtocolEvent;
	  }
	| {
			readonly type: 'session-update';
			readonly connectionId: number;
			readonly account?: string;
			readonly operations: number;
	  }
	| {readonly type: 'ledger'; readonly activity: LedgerActivity};

export type ServerController = {
	readonly address: string;
	readonly hostKeys: ReadonlyArray<{readonly type: string; readonly fingerprint: string}>;
	/**
	 * Every activity from now on; with `replay`, first the recent activity (up to a bound), so a
	 * screen that mounts after the server started misses nothing. Returns the unsubscribe function.
	 */
	subscribe(
		listener: (activity: ServerActivity) => void,
		options?: {readonly replay?: boolean},
	): () => void;
	/** Stop accepting, let in-flight operations finish, close the store. */
	stop(): Promise<void>;
};
