/**
 * Lab scenario `downgrade`: the attacker on the path strips the strong suites from the ClientHello.
 *
 * One bank for both sides, allowing the three secure suites and the INSECURE teaching suite 0x7f01
 * (`serve --insecure-teaching`). Only the customer differs:
 *
 * Teaching: a customer who also allows the teaching suite (`--insecure-teaching`), offered LAST,
 * after the three secure suites, on its first visit (empty known_hosts, --accept-new). Stripping
 * alone fails (the Finished MACs cover the offer); stripping plus breaking the textbook key
 * exchange (./downgrade-attack.ts) succeeds end to end: the customer completes its handshake on
 * the teaching suite although it preferred, and the bank allows, X25519 + ChaCha20-Poly1305.
 *
 * Default: a customer offering only the secure suites. Stripped to the RSA suite (no forward
 * secrecy), the bank signs a transcript holding the stripped offer and the customer's
 * verification fails (bad_signature); offered the teaching suite instead, the customer refuses a
 * suite it never offered (illegal_parameter).
 */
import {
	DEFAULT_SUITE_IDS,
	formatSuiteId,
	SUITE_RSA_3072_PSS_AES_256_GCM_SHA256,
	suiteById,
} from '../crypto/suites.js';
import {stripOfferOnly, TeachingDowngrade} from './downgrade-attack.js';
import {money, outcomeLine, sectionHeading, type LabOutput} from './output.js';
import {startProxy, type FrameHandler} from './proxy.js';
import type {ScenarioResult, SideResult} from './scenario.js';
import {
	bankAsUsual,
	connectCustomer,
	CUSTOMER_PASSWORD,
	ledgerBalance,
	LOOPBACK,
	openAccount,
	startLabBank,
	TEACHING,
	withWorkspace,
	type CustomerAttempt,
	type CustomerOptions,
	type LabBank,
	type LabWorkspace,
} from './workspace.js';

export type DowngradeAttempt = {
	readonly label: string;
	readonly connected: boolean;
	/** The suite the bank chose for the stripped offer. */
	readonly bankChose: string | undefined;
	/** The suite the customer's handshake completed on. */
	readonly customerSuite: string | undefined;
	readonly customerError: string | undefined;
	readonly bankError: string | undefined;
};

export type DowngradeSideResult = SideResult & {
	readonly offered: readonly string[];
	readonly attempts: readonly DowngradeAttempt[];
};

export type DowngradeTeachingResult = DowngradeSideResult & {
	/** Requests the attacker read in clear after the downgrade. */
	readonly captured: readonly string[];
};

export type DowngradeResult = ScenarioResult<DowngradeTeachingResult, DowngradeSideResult>;

const BANK_SUITES = [...DEFAULT_SUITE_IDS, TEACHING];
const DEPOSIT_CENTS = 3000;

const suiteName = (id: number) => suiteById(id)?.name ?? formatSuiteId(id);

export async function runDowngrade(out: LabOutput): Promise<DowngradeResult> {
	return withWorkspace(async (workspace) => {
		const bank = await startLabBank(workspace, 'bank', {suites: BANK_SUITES});
		await openAccount(bank);
		const teaching = await teachingSide(out, workspace, bank);
		const secure = await defaultSide(out, workspace, bank);
		return {
			teaching,
			default: secure,
			lesson:
				'A downgrade succeeds whenever a weak suite is allowed at all (FREAK, Logjam): whoever breaks the weak key exchange can also forge the Finished MACs meant to detect it, so a client that never offers the weak suite, and a signature over the whole offer, are the defence.',
		};
	});
}

/** One customer connection through a path whose attacker uses `handler`; what each side saw. */
async function tryThrough(
	workspace: LabWorkspace,
	bank: LabBank,
	label: string,
	handler: () => FrameHandler,
	options: (port: number, knownHosts: string) => CustomerOptions,
): Promise<{attempt: CustomerAttempt; record: DowngradeAttempt}> {
	const chosen: string[] = [];
	const errors: string[] = [];
	const unsubscribe = bank.server.subscribe((activity) => {
		if (activity.type !== 'connection-event') return;
		if (activity.event.type === 'suite') chosen.push(activity.event.suite.name);
		if (activity.event.type === 'error') errors.push(activity.event.code);
	});
	const path = await startProxy(workspace, {targetPort: bank.port, onConnection: handler});
	// Each attempt is a first visit: a fresh known_hosts, so no remembered key type changes the offer.
	const attempt = await connectCustomer(
		options(path.port, workspace.path(`known_hosts_${path.port}`)),
	);
	// A refused attempt: let the bank see the customer's alert and close, so its error is known.
	if (!attempt.ok) {
		await Promise.race([
			path.connections[0]?.closed,
			new Promise<void>((resolve) => {
				setTimeout(resolve, 2000).unref();
			}),
		]);
	}

	const record: DowngradeAttempt = {
		label,
		connected: attempt.ok,
		bankChose: chosen[0],
		customerSuite: attempt.ok ? attempt.session.info.suite.name : undefined,
		customerError: attempt.ok ? undefined : attempt.error.code,
		bankError: errors[0],
	};
	unsubscribe();
	return {attempt, record};
}

function bankEnding(code: string | undefined): string {
	if (code === undefined) return '';
	return code === 'alert_received'
		? "; then the customer's alert ended the handshake"
		: `; error ${code}`;
}

function describeAttempt(out: LabOutput, record: DowngradeAttempt, attempt: CustomerAttempt): void {
	out.line(`    bank: chose ${record.bankChose ?? 'nothing'}${bankEnding(record.bankError)}`);
	out.line(
		attempt.ok
			? `    customer: handshake COMPLETE on ${record.customerSuite}`
			: `    customer: refused: ${attempt.error.code}: ${attempt.error.message}`,
	);
}

async function teachingSide(
	out: LabOutput,
	workspace: LabWorkspace,
	bank: LabBank,
): Promise<DowngradeTeachingResult> {
	sectionHeading(
		out,
		'teaching',
		`0x7f01 ${suiteName(TEACHING)} allowed by both ends, offered last`,
	);
	const offer = [...DEFAULT_SUITE_IDS, TEACHING];
	const options = (port: number, knownHostsFile: string): CustomerOptions => ({
		port,
		knownHostsFile,
		acceptNew: true,
		suites: offer,
		allowInsecure: true,
	});
	out.line(`  setup: bank on ${LOOPBACK}:${bank.port} allows ${bank.describe()}`);
	out.line(
		`  customer (--insecure-teaching, first visit, --accept-new) offers, in order: ${offer.map(suiteName).join(', ')}`,
	);

	out.line('  attempt 1: the attacker only strips the offer to [0x7f01]');
	const first = await tryThrough(
		workspace,
		bank,
		'strip only',
		() => stripOfferOnly([TEACHING]),
		options,
	);
	describeAttempt(out, first.record, first.attempt);
	out.line(
		"    (the customer's Finished MAC covers the offer it sent; the bank checks it over the stripped one)",
	);
	if (first.attempt.ok) await first.attempt.close();

	out.line(
		'  attempt 2: the attacker strips the offer AND breaks the textbook key exchange to mend both Finished MACs',
	);
	const attack = new TeachingDowngrade(out);
	const second = await tryThrough(
		workspace,
		bank,
		'strip and forge Finished',
		() => attack.handle,
		options,
	);
	describeAttempt(out, second.record, second.attempt);
	let balance: number | undefined;
	if (second.attempt.ok) {
		out.line(
			`    customer: (it preferred ${suiteName(offer[0]!)}, which the bank also allows; it cannot tell)`,
		);
		await bankAsUsual(second.attempt, DEPOSIT_CENTS);
		await second.attempt.close();
		balance = await ledgerBalance(bank);
		out.line(
			`    bank: ledger balance ${money(balance)}: the relayed deposit of ${money(DEPOSIT_CENTS)} was applied as usual`,
		);
	}

	const attackSucceeded =
		second.record.customerSuite === suiteName(TEACHING) &&
		attack.captured.some((text) => text.includes(CUSTOMER_PASSWORD));
	const outcome = attackSucceeded
		? `the customer was downgraded to ${suiteName(TEACHING)} and the attacker read its password`
		: `the downgrade did not complete (${second.record.customerError ?? second.record.bankError ?? 'no password read'})`;
	outcomeLine(out, 'teaching', attackSucceeded, outcome);
	return {
		attackSucceeded,
		outcome,
		offered: offer.map(suiteName),
		attempts: [first.record, second.record],
		captured: attack.captured,
	};
}

async function defaultSide(
	out: LabOutput,
	workspace: LabWorkspace,
	bank: LabBank,
): Promise<DowngradeSideResult> {
	sectionHeading(out, 'default', 'a customer offering only the secure suites');
	const options = (port: number, knownHostsFile: string): CustomerOptions => ({
		port,
		knownHostsFile,
		acceptNew: true,
	});
	out.line(
		`  setup: the same bank; the customer (no --insecure-teaching) offers ${DEFAULT_SUITE_IDS.map(suiteName).join(', ')}`,
	);

	out.line(
		`  attempt 1: the attacker strips the offer to [${formatSuiteId(SUITE_RSA_3072_PSS_AES_256_GCM_SHA256)}] (RSA key transport, no forward secrecy)`,
	);
	const first = await tryThrough(
		workspace,
		bank,
		'strip to RSA',
		() => stripOfferOnly([SUITE_RSA_3072_PSS_AES_256_GCM_SHA256]),
		options,
	);
	describeAttempt(out, first.record, first.attempt);
	out.line(
		'    (the RSA-PSS signature covers H(ClientHello || ...) as the bank received it; the customer checks it over the offer it sent)',
	);
	if (first.attempt.ok) await first.attempt.close();

	out.line(
		`  attempt 2: the attacker replaces the offer with [${formatSuiteId(TEACHING)}], which the bank allows`,
	);
	const second = await tryThrough(
		workspace,
		bank,
		'offer the teaching suite',
		() => stripOfferOnly([TEACHING]),
		options,
	);
	describeAttempt(out, second.record, second.attempt);
	if (second.attempt.ok) await second.attempt.close();

	const attempts = [first.record, second.record];
	const attackSucceeded = attempts.some((attempt) => attempt.connected);
	const outcome = attackSucceeded
		? 'the customer completed a downgraded handshake'
		: `refused both times: ${first.record.customerError} (stripped offer), ${second.record.customerError} (a suite it never offered)`;
	outcomeLine(out, 'default', attackSucceeded, outcome);
	return {attackSucceeded, outcome, offered: DEFAULT_SUITE_IDS.map(suiteName), attempts};
}
