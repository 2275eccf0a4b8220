/**
 * Lab scenario `mitm`: a man in the middle presents its own host key. It runs a real SecureServer
 * with a key of its own where the customer expects the bank, and relays to the real bank as an
 * ordinary client: both channels end at the attacker, who reads everything in between.
 *
 * Teaching suite (INSECURE, 0x7f01): the seed's client trusted whatever key it was shown
 * (modelled here as a fresh, empty known_hosts with --accept-new): the customer is fooled, and the
 * attacker reads the login (password included) and the deposit in clear, while the bank applies
 * them as usual.
 *
 * Default suite: the customer has been to this address before over an honest path, so known_hosts
 * holds the bank's real Ed25519 key. The attacker's key makes the trust check report CHANGED
 * ("REMOTE HOST IDENTIFICATION HAS CHANGED!"), never overridable by --accept-new: the client
 * refuses with ConnectError exit code 3 and sends nothing.
 */
import {generateHostKey, type HostKey} from '../crypto/host-keys.js';
import {
	SUITE_X25519_ED25519_AES_256_GCM_SHA256,
	SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256,
	suiteById,
} from '../crypto/suites.js';
import {textbookRsa} from '../crypto/teaching/index.js';
import {connect, type ClientSession} from '../net/client.js';
import {SecureServer} from '../net/server.js';
import type {LocalHostKey} from '../protocol/host-key-algorithms.js';
import {TEACHING_MODULUS_BITS, teachingLocalHostKey} from '../protocol/teaching-suite.js';
import {money, outcomeLine, printable, sectionHeading, type LabOutput} from './output.js';
import {startProxy} from './proxy.js';
import type {ScenarioResult, SideResult} from './scenario.js';
import {
	bankAsUsual,
	connectCustomer,
	CUSTOMER_PASSWORD,
	firstEvent,
	ledgerBalance,
	LOOPBACK,
	mustConnectCustomer,
	openAccount,
	startLabBank,
	TEACHING,
	teachingClient,
	withWorkspace,
	type LabWorkspace,
} from './workspace.js';

export type MitmTeachingResult = SideResult & {
	readonly customerConnected: boolean;
	readonly acceptedFingerprint: string;
	readonly bankFingerprint: string;
	/** What the attacker read in clear, customer to bank. */
	readonly captured: readonly string[];
	readonly ledgerBalanceCents: number;
};

export type MitmDefaultResult = SideResult & {
	readonly customerConnected: boolean;
	readonly trustStatus: string | undefined;
	readonly exitCode: number | undefined;
	readonly errorCode: string | undefined;
	readonly presentedFingerprint: string | undefined;
	readonly knownFingerprint: string | undefined;
	readonly captured: readonly string[];
};

export type MitmResult = ScenarioResult<MitmTeachingResult, MitmDefaultResult>;

const SECURE_SUITES = [
	SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256,
	SUITE_X25519_ED25519_AES_256_GCM_SHA256,
];
const DEPOSIT_CENTS = 2500;

type Relay = {readonly port: number; readonly captured: string[]};

/**
 * The attacker's server: its own host key, and for each customer a fresh client connection to the
 * real bank. Every record is decrypted on one channel, read, and re-encrypted on the other.
 */
async function startRelay(
	workspace: LabWorkspace,
	out: LabOutput,
	options: {
		hostKey: HostKey | LocalHostKey;
		suites: readonly number[];
		allowInsecure: boolean;
		bankPort: number;
	},
): Promise<Relay> {
	const captured: string[] = [];
	const upstreams = new Set<ClientSession>();
	const server = new SecureServer(
		{
			host: LOOPBACK,
			port: 0,
			hostKeys: [options.hostKey],
			suites: options.suites,
			allowInsecure: options.allowInsecure,
		},
		{
			onSession(session) {
				let upstream: ClientSession | undefined;
				const waiting: Uint8Array[] = [];
				session.onData((data) => {
					captured.push(Buffer.from(data).toString('utf8'));
					out.line(`  attacker reads customer->bank: ${printable(data)}`);
					if (upstream) upstream.send(data);
					else waiting.push(data);
				});
				connect({
					host: LOOPBACK,
					port: options.bankPort,
					knownHostsFile: workspace.path('attacker_known_hosts'),
					acceptNew: true,
					suites: options.suites,
					allowInsecure: options.allowInsecure,
				}).then(
					(bank) => {
						upstream = bank;
						upstreams.add(bank);
						bank.onData((data) => {
							out.line(`  attacker reads bank->customer: ${printable(data)}`);
							session.send(data);
						});
						for (const data of waiting.splice(0)) bank.send(data);
						void bank.closed.then(() => {
							session.close('bank closed');
						});
						void session.closed.then(() => {
							bank.close('customer closed');
						});
					},
					() => {
						session.close('the real bank refused the relay');
					},
				);
			},
		},
	);
	const {port} = await server.listen();
	workspace.defer(async () => {
		for (const upstream of upstreams) upstream.close();
		await server.close();
	});
	return {port, captured};
}

/** The error message up to its first "!" (the rest names a temporary file). */
function headline(message: string): string {
	const end = message.indexOf('!');
	return end === -1 ? message : message.slice(0, end + 1);
}

export async function runMitm(out: LabOutput): Promise<MitmResult> {
	const teaching = await teachingSide(out);
	const secure = await defaultSide(out);
	return {
		teaching,
		default: secure,
		lesson:
			'A signature proves possession of a key, not whose key it is: only a remembered (known_hosts) or pinned fingerprint tells the bank from a man in the middle, so a client that trusts any key is fooled and one that remembers the key refuses a changed one.',
	};
}

async function teachingSide(out: LabOutput): Promise<MitmTeachingResult> {
	sectionHeading(out, 'teaching', `0x7f01 ${suiteById(TEACHING)!.name}`);
	return withWorkspace(async (workspace) => {
		const bank = await startLabBank(workspace, 'bank', {suites: [TEACHING]});
		await openAccount(bank);
		const bankFingerprint = bank.hostKey('textbook-rsa').fingerprint;
		const path = await startProxy(workspace, {targetPort: bank.port});
		const attackerKey = teachingLocalHostKey(textbookRsa.generateKeyPair(TEACHING_MODULUS_BITS));
		const relay = await startRelay(workspace, out, {
			hostKey: attackerKey,
			suites: [TEACHING],
			allowInsecure: true,
			bankPort: bank.port,
		});
		path.retarget(relay.port);
		out.line(
			`  setup: the bank listens on ${LOOPBACK}:${bank.port}, textbook RSA host key ${bankFingerprint}`,
		);
		out.line(
			`  attacker: owns the path ${LOOPBACK}:${path.port} and sends it to its own server, textbook RSA key ${attackerKey.fingerprint}`,
		);
		out.line(
			'  customer: connects to the path trusting any key, as the original client did (fresh known_hosts, --accept-new)',
		);
		const customer = await mustConnectCustomer(
			teachingClient(workspace.path('known_hosts'), path.port),
		);
		const acceptedFingerprint = customer.session.info.hostKeyFingerprint;
		out.line(
			`  customer: handshake complete, host key ${acceptedFingerprint} (trust: ${customer.session.info.trust}): the attacker's key`,
		);
		const balance = await bankAsUsual(customer, DEPOSIT_CENTS);
		await customer.close();
		out.line(
			`  customer: logged in, deposited ${money(DEPOSIT_CENTS)}, saw balance ${money(balance)}: nothing looked wrong`,
		);
		const ledger = await ledgerBalance(bank);
		out.line(
			`  bank: ledger balance ${money(ledger)}: the relayed deposit was applied, the bank saw nothing wrong either`,
		);
		const passwordRead = relay.captured.some((text) => text.includes(CUSTOMER_PASSWORD));
		const depositRead = relay.captured.some((text) => text.includes('"deposit"'));
		const attackSucceeded =
			acceptedFingerprint === attackerKey.fingerprint && passwordRead && depositRead;
		const outcome = attackSucceeded
			? `the customer accepted the attacker's key; login (password "${CUSTOMER_PASSWORD}") and deposit read in clear and relayed`
			: "the relay did not see the customer's requests";
		outcomeLine(out, 'teaching', attackSucceeded, outcome);
		return {
			attackSucceeded,
			outcome,
			customerConnected: true,
			acceptedFingerprint,
			bankFingerprint,
			captured: relay.captured,
			ledgerBalanceCents: ledger,
		};
	});
}

async function defaultSide(out: LabOutput): Promise<MitmDefaultResult> {
	sectionHeading(
		out,
		'default',
		`0x0001 ${suiteById(SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256)!.name}`,
	);
	return withWorkspace(async (workspace) => {
		const bank = await startLabBank(workspace, 'bank', {suites: SECURE_SUITES});
		await openAccount(bank);
		const bankFingerprint = bank.hostKey('ed25519').fingerprint;
		const path = await startProxy(workspace, {targetPort: bank.port});
		const knownHosts = workspace.path('known_hosts');
		out.line(
			`  setup: the bank listens on ${LOOPBACK}:${bank.port}, Ed25519 host key ${bankFingerprint}`,
		);
		const firstVisit = await mustConnectCustomer({
			port: path.port,
			knownHostsFile: knownHosts,
			acceptNew: true,
		});
		await bankAsUsual(firstVisit, DEPOSIT_CENTS);
		await firstVisit.close();
		out.line(
			`  customer: an earlier visit over an honest path (--accept-new) stored the bank's key in known_hosts as [${LOOPBACK}]:${path.port}`,
		);

		const attackerKey = generateHostKey('ed25519');
		const relay = await startRelay(workspace, out, {
			hostKey: attackerKey,
			suites: SECURE_SUITES,
			allowInsecure: false,
			bankPort: bank.port,
		});
		path.retarget(relay.port);
		out.line(
			`  attacker: now owns the path ${LOOPBACK}:${path.port} and sends it to its own server, Ed25519 key ${attackerKey.fingerprint}`,
		);
		out.line('  customer: connects again, still with --accept-new');
		const attempt = await connectCustomer({
			port: path.port,
			knownHostsFile: knownHosts,
			acceptNew: true,
		});
		const trust = firstEvent(attempt.events, 'trust');
		if (attempt.ok) {
			await bankAsUsual(attempt, DEPOSIT_CENTS);
			await attempt.close();
		}

		out.line(`  customer: trust check ${trust?.status.toUpperCase() ?? 'not reached'}`);
		out.line(`    presented by the path:        ${trust?.fingerprint ?? '-'}`);
		out.line(
			`    known_hosts line ${trust?.knownHostsLine ?? '?'} (the bank): ${trust?.knownFingerprint ?? '-'}`,
		);
		if (!attempt.ok)
			out.line(
				`  customer: refused: ConnectError exit code ${attempt.error.exitCode} (${attempt.error.code}): ${headline(attempt.error.message)}`,
			);
		out.line(`  attacker: read ${relay.captured.length} requests`);
		const attackSucceeded = attempt.ok || relay.captured.length > 0;
		const outcome = attackSucceeded
			? 'the customer talked to the attacker'
			: 'the changed key was refused (exit code 3) before any request was sent';
		outcomeLine(out, 'default', attackSucceeded, outcome);
		return {
			attackSucceeded,
			outcome,
			customerConnected: attempt.ok,
			trustStatus: trust?.status,
			exitCode: attempt.ok ? undefined : attempt.error.exitCode,
			errorCode: attempt.ok ? undefined : attempt.error.code,
			presentedFingerprint: trust?.fingerprint,
			knownFingerprint: trust?.knownFingerprint,
			captured: relay.captured,
		};
	});
}
