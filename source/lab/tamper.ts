/**
 * Lab scenario `tamper`: the attacker on the path flips bits in the customer's deposit record.
 *
 * Teaching suite (INSECURE, 0x7f01): records are S-DES in CBC mode with one-byte blocks and no MAC
 * (source/crypto/teaching/sdes.ts): p_i = D(c_i) xor c_(i-1), so XORing a mask into c_(i-1) XORs
 * the same mask into p_i, and garbles p_(i-1) into a byte nobody can predict without the key. The
 * attacker does not know the key; it knows the request layout
 * ({"op":"deposit","amount":1000,"requestId":"...","id":2}), so it XORs '0' ^ '6' into the
 * ciphertext byte in front of the amount's second digit: "1000" becomes "?600", where ? is the
 * garbled first digit. When ? comes out as a digit 1-9 (or JSON whitespace) the bank reads a valid
 * request and silently applies a different amount; otherwise it refuses a malformed request and the
 * attacker waits for the customer's next session. The scenario retries until one lands and counts.
 *
 * Default suite (ChaCha20-Poly1305): the same flip fails the record's authentication tag: the bank
 * reports bad_record_mac, sends the alert and closes; the balance does not move.
 */
import {
	SUITE_X25519_ED25519_AES_256_GCM_SHA256,
	SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256,
	suiteById,
} from '../crypto/suites.js';
import {FRAME_HEADER_LENGTH, FrameType} from '../protocol/codec.js';
import {money, outcomeLine, sectionHeading, type LabOutput} from './output.js';
import {startProxy, type FrameHandler} from './proxy.js';
import type {ScenarioResult, SideResult} from './scenario.js';
import {
	CUSTOMER,
	CUSTOMER_PASSWORD,
	ledgerBalance,
	LOOPBACK,
	mustConnectCustomer,
	openAccount,
	startLabBank,
	TEACHING,
	teachingClient,
	withWorkspace,
	type CustomerOptions,
} from './workspace.js';

export type TamperOptions = {
	/** Sessions to try before giving up on the teaching suite (default 400). */
	readonly maxAttempts?: number;
};

export type TamperSideResult = SideResult & {
	readonly attempts: number;
	readonly requestedCents: number;
	/** Amounts the bank actually applied as deposits. */
	readonly appliedCents: readonly number[];
	readonly balanceBeforeCents: number;
	readonly balanceAfterCents: number;
	/** Refusal or error codes of the attempts that did not land, with counts. */
	readonly failures: Readonly<Record<string, number>>;
};

export type TamperResult = ScenarioResult<TamperSideResult, TamperSideResult>;

const SECURE_SUITES = [
	SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256,
	SUITE_X25519_ED25519_AES_256_GCM_SHA256,
];
const DEPOSIT_CENTS = 1000;
/** The request as BankClient encodes it: the amount's digits start right after this prefix. */
const REQUEST_PREFIX = '{"op":"deposit","amount":';
/** Plaintext byte to change: the amount's second digit. */
const TARGET = REQUEST_PREFIX.length + 1;
/** '0' xor '6': what the attacker expects there, and what it wants there. */
const MASK = 0x30 ^ 0x36;
/** The customer's second record in each session is the deposit (the first is the login). */
const DEPOSIT_RECORD = 1;

/**
 * Flips MASK into the record body byte at TARGET. Teaching suite: body = IV, c_1, ..., so body[TARGET]
 * is c_TARGET, the chaining input of plaintext byte TARGET (0-based). Default suite: the same
 * offset inside the ChaCha20 ciphertext, which flips plaintext byte TARGET directly (a stream
 * cipher is just as malleable; the tag is what stops it).
 */
function flipDepositAmount(): FrameHandler {
	let clientRecords = 0;
	return (frame) => {
		if (frame.direction !== 'toServer' || frame.type !== FrameType.record) return undefined;
		if (clientRecords++ !== DEPOSIT_RECORD) return undefined;
		const bytes = Buffer.from(frame.bytes);
		bytes[FRAME_HEADER_LENGTH + TARGET] = bytes[FRAME_HEADER_LENGTH + TARGET]! ^ MASK;
		return [bytes];
	};
}

export async function runTamper(
	out: LabOutput,
	options: TamperOptions = {},
): Promise<TamperResult> {
	const teaching = await side(out, 'teaching', options.maxAttempts ?? 400);
	const secure = await side(out, 'default', 1);
	return {
		teaching,
		default: secure,
		lesson:
			'Encryption is not integrity: without a MAC an attacker who knows the message layout changes it blind (here the deposit amount), while an AEAD record rejects a single flipped bit (bad_record_mac) and the connection ends with nothing applied.',
	};
}

type Attempt = {readonly applied?: number; readonly failure?: string};

async function attempt(options: CustomerOptions, applied: number[]): Promise<Attempt> {
	const customer = await mustConnectCustomer(options);
	const appliedBefore = applied.length;
	try {
		const login = await customer.bank.login(CUSTOMER, CUSTOMER_PASSWORD);
		if (!login.ok) throw new Error(`lab: login failed: ${login.error.message}`);
		const deposit = await customer.bank.deposit(DEPOSIT_CENTS);
		if (!deposit.ok) return {failure: deposit.error.code};
		return applied.length > appliedBefore
			? {applied: applied.at(-1)!}
			: {failure: 'nothing applied'};
	} catch (error) {
		const alert = customer.events.find(
			(event) => event.type === 'alert' && event.direction === 'received',
		);
		return {
			failure:
				alert?.type === 'alert'
					? `connection closed, alert ${alert.description}`
					: (error as Error).message,
		};
	} finally {
		await customer.close();
	}
}

async function side(
	out: LabOutput,
	which: 'teaching' | 'default',
	maxAttempts: number,
): Promise<TamperSideResult> {
	const teaching = which === 'teaching';
	sectionHeading(
		out,
		which,
		teaching
			? `0x7f01 ${suiteById(TEACHING)!.name}`
			: `0x0001 ${suiteById(SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256)!.name}`,
	);
	return withWorkspace(async (workspace) => {
		const bank = await startLabBank(workspace, 'bank', {
			suites: teaching ? [TEACHING] : SECURE_SUITES,
		});
		await openAccount(bank);
		const applied: number[] = [];
		const serverErrors: string[] = [];
		bank.server.subscribe((activity) => {
			if (
				activity.type === 'ledger' &&
				activity.activity.kind === 'deposit' &&
				activity.activity.ok
			)
				applied.push(activity.activity.amountCents ?? 0);
			if (activity.type === 'connection-event' && activity.event.type === 'error')
				serverErrors.push(`${activity.event.code}: ${activity.event.message}`);
		});
		const path = await startProxy(workspace, {
			targetPort: bank.port,
			onConnection: () => flipDepositAmount(),
		});
		const balanceBefore = await ledgerBalance(bank);
		const knownHosts = workspace.path('known_hosts');
		const options: CustomerOptions = teaching
			? teachingClient(knownHosts, path.port)
			: {port: path.port, knownHostsFile: knownHosts, acceptNew: true};
		out.line(
			`  setup: bank on ${LOOPBACK}:${bank.port}, reached through the attacker's path ${LOOPBACK}:${path.port}; ${CUSTOMER}'s balance ${money(balanceBefore)}`,
		);
		out.line(
			`  customer: each session logs in, then deposits ${money(DEPOSIT_CENTS)}: ${REQUEST_PREFIX}${DEPOSIT_CENTS},"requestId":"<12 hex of time, 16 random>","id":2}`,
		);
		out.line(
			teaching
				? `  attacker: knows that layout, not the key: XORs 0x${MASK.toString(16).padStart(2, '0')} ('0'^'6') into ciphertext byte c_${TARGET} of record 2, so plaintext byte ${TARGET} turns '0' -> '6' ("1000" -> "?600") and byte ${TARGET - 1} is garbled`
				: `  attacker: XORs the same 0x${MASK.toString(16).padStart(2, '0')} into byte ${TARGET} of record 2's ciphertext (ChaCha20 is a stream cipher: it would flip that plaintext byte)`,
		);
		const failures: Record<string, number> = {};
		let landed: number | undefined;
		let attempts = 0;
		while (attempts < maxAttempts && landed === undefined) {
			attempts++;
			const result = await attempt(options, applied);
			if (result.applied === undefined) {
				const reason = result.failure ?? 'unknown';
				failures[reason] = (failures[reason] ?? 0) + 1;
			} else {
				landed = result.applied;
			}
		}

		const failed = Object.entries(failures)
			.map(([reason, count]) => `${reason} x${count}`)
			.join(', ');
		if (failed)
			out.line(
				`  ${teaching ? `attempts 1-${landed === undefined ? attempts : attempts - 1}` : 'the attempt'}: did not land: ${failed}; nothing applied`,
			);
		if (!teaching && serverErrors.length > 0) out.line(`  bank: ${serverErrors[0]}`);
		if (landed !== undefined) {
			const garbled = landed >= 1000 ? `'${String(landed)[0]!}'` : 'as JSON whitespace';
			out.line(
				`  attempt ${attempts}: the bank APPLIED a deposit of ${money(landed)} (the customer asked for ${money(DEPOSIT_CENTS)}): the garbled byte came out ${garbled}, and nothing noticed`,
			);
		}

		const balanceAfter = await ledgerBalance(bank);
		out.line(`  bank: ledger balance ${money(balanceBefore)} -> ${money(balanceAfter)}`);
		const attackSucceeded = landed !== undefined && landed !== DEPOSIT_CENTS;
		const outcome = attackSucceeded
			? `after ${attempts} session${attempts === 1 ? '' : 's'}, a ${money(DEPOSIT_CENTS)} deposit was applied as ${money(landed!)}`
			: teaching
				? `no tampered deposit landed in ${attempts} sessions`
				: 'the flipped record failed authentication (bad_record_mac); the connection closed and the balance did not move';
		outcomeLine(out, which, attackSucceeded, outcome);
		return {
			attackSucceeded,
			outcome,
			attempts,
			requestedCents: DEPOSIT_CENTS,
			appliedCents: applied,
			balanceBeforeCents: balanceBefore,
			balanceAfterCents: balanceAfter,
			failures,
		};
	});
}
