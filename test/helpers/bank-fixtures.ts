/**
 * Helpers for tests that bank over real sockets: a client logged in to an account, a random
 * workload whose acknowledged operations are counted, and a server child process to kill.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {BankClient} from '../../source/net/bank-client.js';
import {connect} from '../../source/net/client.js';

export const repositoryRoot = join(import.meta.dirname, '..', '..');
export const builtCli = join(repositoryRoot, 'dist', 'cli.js');

export function requireBuild(): void {
	if (!existsSync(builtCli))
		throw new Error(`${builtCli} is missing: run npm run build (npm test does it first)`);
}

export async function bankClient(
	port: number,
	knownHostsFile: string,
): Promise<{bank: BankClient; close: () => Promise<void>}> {
	const session = await connect({host: '127.0.0.1', port, knownHostsFile, acceptNew: true});
	const bank = new BankClient(session);
	return {
		bank,
		async close() {
			session.close();
			await session.closed;
		},
	};
}

/** A deterministic pseudo-random sequence (mulberry32), so a failing run can be repeated. */
export function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d_2b_79_f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

export type Operation = {
	readonly kind: 'deposit' | 'withdraw';
	readonly amount: number;
	readonly requestId: string;
};

/** Starts `securebank serve --plain` on a free port and resolves once it listens. */
export async function startServerProcess(
	dataDirectory: string,
	extraArgs: readonly string[] = [],
): Promise<{child: ChildProcess; port: number; log: () => string}> {
	requireBuild();
	const child = spawn(
		process.execPath,
		[builtCli, 'serve', '--plain', '--port', '0', '--data', dataDirectory, ...extraArgs],
		{
			stdio: ['ignore', 'pipe', 'pipe'],
			env: {...process.env, SECUREBANK_HOME: dataDirectory},
		},
	);
	let output = '';
	const port = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
		child.stderr.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			const match = /serving on 127\.0\.0\.1:(\d+)/.exec(output);
			if (match) {
				clearTimeout(timer);
				resolve(Number(match[1]));
			}
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with ${code}:\n${output}`));
		});
	});
	return {child, port, log: () => output};
}
