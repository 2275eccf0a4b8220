/**
 * A real terminal for the screens' end-to-end tests: a private tmux server per test file
 * (RECIPES.md), keys sent one at a time, the screen read back with capture-pane.
 */
import {execFileSync, spawnSync} from 'node:child_process';

export function tmuxAvailable(): boolean {
	return spawnSync('tmux', ['-V']).status === 0;
}

export class Terminal {
	private readonly socket = `sb-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

	private tmux(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8'});
	}

	/** Starts `command` in a new window named `name`; CI must be unset or Ink draws nothing. */
	open(name: string, command: string, columns = 120, rows = 40): void {
		const shell = `env -u CI ${command}; echo EXITED=$?; sleep 60`;
		if (this.hasSession()) this.tmux('new-window', '-d', '-t', 'main', '-n', name, shell);
		else
			this.tmux(
				'new-session',
				'-d',
				'-s',
				'main',
				'-n',
				name,
				'-x',
				String(columns),
				'-y',
				String(rows),
				shell,
			);
	}

	private hasSession(): boolean {
		return spawnSync('tmux', ['-L', this.socket, 'has-session', '-t', 'main']).status === 0;
	}

	screen(name: string): string {
		return this.tmux('capture-pane', '-p', '-t', `main:${name}`);
	}

	/** A key name as tmux knows it (Enter, Escape, Down, BSpace, C-c) or literal text. */
	key(name: string, key: string): void {
		this.tmux('send-keys', '-t', `main:${name}`, key);
	}

	type(name: string, text: string): void {
		this.tmux('send-keys', '-t', `main:${name}`, '-l', text);
	}

	resize(name: string, columns: number, rows: number): void {
		this.tmux('resize-window', '-t', `main:${name}`, '-x', String(columns), '-y', String(rows));
	}

	/** Waits until the screen matches, and returns it; throws with the last screen otherwise. */
	async waitFor(name: string, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
		const started = Date.now();
		let last = '';
		while (Date.now() - started < timeoutMs) {
			last = this.screen(name);
			if (pattern.test(last)) return last;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}

		throw new Error(
			`screen "${name}" never matched ${pattern} within ${timeoutMs} ms; last screen:\n${last}`,
		);
	}

	close(): void {
		spawnSync('tmux', ['-L', this.socket, 'kill-server']);
	}
}
