/**
 * `securebank lab` (source/cli/lab.ts): the listing names every scenario, one line each, and an
 * unknown scenario is a usage error on stderr (exit 2). The scenarios themselves are tested in the
 * files next to this one.
 */
import {afterEach, describe, expect, it, vi} from 'vitest';
import {runLab} from '../../source/cli/lab.js';
import type {CliFlags} from '../../source/cli/run.js';
import {SCENARIOS} from '../../source/lab/runner.js';

const flags: CliFlags = {
	host: '127.0.0.1',
	port: 6001,
	signup: false,
	plain: true,
	json: false,
	acceptNew: false,
	insecureTeaching: false,
	showSecrets: false,
};

function capture(stream: NodeJS.WriteStream): {text: () => string} {
	const chunks: string[] = [];
	vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
		chunks.push(String(chunk));
		return true;
	});
	return {text: () => chunks.join('')};
}

afterEach(() => {
	vi.restoreAllMocks();
});

describe('securebank lab', () => {
	it('without a scenario lists every one, one line each, and exits 0', async () => {
		const stdout = capture(process.stdout);
		expect(await runLab(undefined, flags)).toBe(0);
		const lines = stdout.text().split('\n');
		for (const name of ['factor', 'mitm', 'replay', 'tamper', 'downgrade', 'all']) {
			expect(lines.filter((line) => line.startsWith(`  ${name} `))).toHaveLength(1);
		}

		expect(SCENARIOS.map((scenario) => scenario.name)).toEqual([
			'factor',
			'mitm',
			'replay',
			'tamper',
			'downgrade',
		]);
	});

	it('an unknown scenario is a usage error: exit 2, message on stderr, nothing on stdout', async () => {
		const stdout = capture(process.stdout);
		const stderr = capture(process.stderr);
		expect(await runLab('heartbleed', flags)).toBe(2);
		expect(stderr.text()).toMatch(/unknown lab scenario "heartbleed"/);
		expect(stdout.text()).toBe('');
	});
});
