/**
 * The command line as a script sees it (dist/cli.js, no terminal): exit codes, one result line per
 * command on standard output, the event log on standard error, and the trust rules.
 */
import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {builtCli, requireBuild, startServerProcess} from '../helpers/bank-fixtures.js';

type Run = {code: number | null; stdout: string; stderr: string};

async function run(
	args: readonly string[],
	input = '',
	env: Record<string, string> = {},
): Promise<Run> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [builtCli, ...args], {
			env: {...process.env, ...env},
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
		});
		child.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		child.on('close', (code) => resolve({code, stdout, stderr}));
		child.stdin.end(input);
	});
}

const home = mkdtempSync(join(tmpdir(), 'securebank-cli-'));
const dataDirectory = join(home, 'server');
let server: Awaited<ReturnType<typeof startServerProcess>>;
let target: string;

beforeAll(async () => {
	requireBuild();
	server = await startServerProcess(dataDirectory, ['--signup']);
	target = `127.0.0.1:${server.port}`;
	const added = await run(
		['accounts', 'add', 'alice', '--data', dataDirectory],
		'alice-password\n',
	);
	expect(added.code).toBe(0);
}, 60_000);

afterAll(() => {
	server?.child.kill('SIGTERM');
	rmSync(home, {recursive: true, force: true});
});

const knownHosts = (name: string) => ['--known-hosts', join(home, name)];

describe('usage', () => {
	it('--help prints the usage and exits 0; --version prints the version', async () => {
		const help = await run(['--help']);
		expect(help.code).toBe(0);
		expect(help.stdout).toMatch(/securebank connect HOST:PORT/);
		const version = await run(['--version']);
		expect(version.stdout.trim()).toBe(
			(
				JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
					version: string;
				}
			).version,
		);
	});

	it('an unknown command, flag, target or suite exits 2 with a message', async () => {
		expect((await run(['frobnicate'])).code).toBe(2);
		expect((await run(['serve', '--frobnicate'])).code).toBe(2);
		const badTarget = await run(['connect', 'localhost:99999', '--plain']);
		expect(badTarget.code).toBe(2);
		expect(badTarget.stderr).toMatch(/port 99999/);
		const badSuite = await run(['connect', target, '--plain', '--suite', 'ROT13']);
		expect(badSuite.code).toBe(2);
		expect(badSuite.stderr).toMatch(/unknown suite "ROT13"/);
		expect((await run(['connect', target, '--fingerprint', 'MD5:abc'])).code).toBe(2);
	});
});

describe('connect --plain', () => {
	it('one result line per command on stdout, the handshake on stderr', async () => {
		const script =
			'login alice alice-password\ndeposit 1,234.56\nwithdraw 5000\nwithdraw 0.56\ndeposit -5\nbalance\nhistory 2\nquit\n';
		const result = await run(
			['connect', target, '--plain', '--accept-new', ...knownHosts('kh-lines')],
			script,
		);
		expect(result.code).toBe(0);
		expect(result.stdout.trim().split('\n')).toEqual([
			'ok login alice balance 0.00',
			'ok deposit 1,234.56 balance 1,234.56',
			'error withdraw insufficient_funds: insufficient funds: the balance is 1,234.56, the amount 5,000.00',
			'ok withdraw 0.56 balance 1,234.00',
			expect.stringMatching(/^error deposit invalid_amount: "-5": /),
			'ok balance balance 1,234.00',
			expect.stringMatching(
				/^ok history 2 entries: .* withdraw 0\.56 → 1,234\.00; .* deposit 1,234\.56 → 1,234\.56 balance 1,234\.00$/,
			),
			'ok quit',
		]);
		expect(result.stderr).toMatch(/A→B sent ClientHello "hello" \+ "prove it"/);
		expect(result.stderr).toMatch(/check ✓ host key signature over transcript/);
		expect(result.stderr).toMatch(/handshake complete/);
		expect(result.stderr).not.toMatch(/alice-password/);
	});

	it('--json prints one JSON object per command', async () => {
		const result = await run(
			['connect', target, '--json', '--accept-new', ...knownHosts('kh-json')],
			'login alice alice-password\nbalance\nwithdraw 1e3\n',
		);
		const lines = result.stdout
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line) as Record<string, unknown>);
		expect(lines).toHaveLength(3);
		expect(lines[0]).toMatchObject({command: 'login', ok: true, account: 'alice'});
		expect(lines[1]).toMatchObject({
			command: 'balance',
			ok: true,
			balanceCents: expect.any(Number) as unknown,
		});
		expect(lines[2]).toMatchObject({
			command: 'withdraw',
			ok: false,
			error: {code: 'invalid_amount'},
		});
	});

	it('a password is the rest of the line: spaces and all', async () => {
		const result = await run(
			['connect', target, '--plain', '--accept-new', ...knownHosts('kh-spaces')],
			'login spaced\nsignup spaced correct horse battery  staple\n',
		);
		expect(result.stdout.trim().split('\n')).toEqual([
			'error login usage: login NAME PASSWORD (the rest of the line)',
			'ok signup spaced balance 0.00',
		]);
		expect(result.code).toBe(0);
		const wrong = await run(
			['connect', target, '--plain', '--accept-new', ...knownHosts('kh-spaces')],
			'login spaced correct horse battery staple\n',
		);
		expect(wrong.code).toBe(4);
		// Logging in twice is refused, but the session is still logged in and goes on.
		const right = await run(
			['connect', target, '--plain', '--accept-new', ...knownHosts('kh-spaces')],
			'login spaced correct horse battery  staple\nlogin spaced again\nbalance\n',
		);
		expect(right.stdout.trim().split('\n')).toEqual([
			'ok login spaced balance 0.00',
			'error login already_logged_in: already logged in as spaced: log out first',
			'ok balance balance 0.00',
		]);
		expect(right.code).toBe(0);
	});

	it('a wrong password exits 4', async () => {
		const result = await run(
			['connect', target, '--plain', '--accept-new', ...knownHosts('kh-auth')],
			'login alice wrong-password\nbalance\n',
		);
		expect(result.code).toBe(4);
		expect(result.stdout.trim()).toBe('error login login_failed: wrong name or password');
	});

	it('an unknown host key without --accept-new exits 3; a pinned fingerprint connects', async () => {
		const refused = await run(['connect', target, '--plain', ...knownHosts('kh-unknown')], '');
		expect(refused.code).toBe(3);
		expect(refused.stderr).toMatch(/--accept-new/);
		const fingerprint = /SHA256:\S+/.exec(
			(await run(['fingerprint', '--data', dataDirectory])).stdout,
		)![0];
		const pinned = await run(
			['connect', target, '--plain', '--fingerprint', fingerprint, ...knownHosts('kh-pinned')],
			'balance\n',
		);
		expect(pinned.code).toBe(0);
		expect(pinned.stdout.trim()).toBe('error balance not_logged_in: log in first');
		expect(pinned.stderr).toMatch(/trust PINNED/);
	});

	it('a changed host key is refused loudly with exit code 3', async () => {
		const file = join(home, 'kh-changed');
		const impostorBlob = Buffer.concat([
			Buffer.from([0, 0, 0, 11]),
			Buffer.from('ssh-ed25519'),
			Buffer.from([0, 0, 0, 32]),
			Buffer.alloc(32, 7),
		]);
		writeFileSync(
			file,
			`[127.0.0.1]:${server.port} ssh-ed25519 ${impostorBlob.toString('base64')}\n`,
		);
		const result = await run(
			['connect', target, '--plain', '--accept-new', '--known-hosts', file],
			'balance\n',
		);
		expect(result.code).toBe(3);
		expect(result.stderr).toMatch(/WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!/);
		expect(result.stderr).toMatch(new RegExp(`${file.replaceAll('/', String.raw`\/`)}:1`));
		expect(result.stdout).toBe('');
	});

	it('nobody listening exits 5', async () => {
		const result = await run(
			['connect', '127.0.0.1:1', '--plain', '--accept-new', ...knownHosts('kh-none')],
			'',
		);
		expect(result.code).toBe(5);
		expect(result.stderr).toMatch(/ECONNREFUSED/);
	});
});

describe('accounts and fingerprint', () => {
	it('accounts list shows balances; a duplicate or invalid name is refused', async () => {
		const list = await run(['accounts', 'list', '--data', dataDirectory]);
		expect(list.stdout).toMatch(/^alice\s+\d/m);
		const duplicate = await run(
			['accounts', 'add', 'alice', '--data', dataDirectory],
			'another-password\n',
		);
		expect(duplicate.code).toBe(2);
		expect(duplicate.stderr).toMatch(/already exists/);
		const invalid = await run(
			['accounts', 'add', 'Not Valid', '--data', dataDirectory],
			'another-password\n',
		);
		expect(invalid.code).toBe(2);
	});

	it('fingerprint prints both host keys in ssh-keygen form', async () => {
		const result = await run(['fingerprint', '--data', dataDirectory]);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^256 SHA256:[A-Za-z0-9+/]{43} securebank-host \(ED25519\)$/m);
		expect(result.stdout).toMatch(/^3072 SHA256:[A-Za-z0-9+/]{43} securebank-host \(RSA\)$/m);
	});
});
