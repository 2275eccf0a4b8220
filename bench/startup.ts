/**
 * Start-up (issue 4): `securebank --help` and `--version` against `node -e 0`, side by side in the
 * same run, alternating, medians. Target: at most 2x.
 */
import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {median} from './stats.js';

export type StartupFigures = {
	readonly flag: string;
	readonly oursMs: number;
	readonly peerMs: number;
};

function timeRun(args: readonly string[]): number {
	const started = performance.now();
	const result = spawnSync(process.execPath, args, {stdio: 'ignore'});
	if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
	return performance.now() - started;
}

export function benchStartup(runs: number): StartupFigures[] {
	// dist/bench/startup.js -> dist/cli.js
	const cli = fileURLToPath(new URL('../cli.js', import.meta.url));
	return ['--help', '--version'].map((flag) => {
		const ours: number[] = [];
		const peer: number[] = [];
		timeRun([cli, flag]);
		for (let run = 0; run < runs; run++) {
			peer.push(timeRun(['-e', '0']));
			ours.push(timeRun([cli, flag]));
		}

		return {flag, oursMs: median(ours), peerMs: median(peer)};
	});
}
