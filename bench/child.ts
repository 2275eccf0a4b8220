/**
 * The parent's handle on a server child (./server-child.ts): fork it, ask it to listen, read its
 * CPU time, stop it. Under tsx the child is the .ts file, from the build the compiled .js.
 */
import {fork, type ChildProcess} from 'node:child_process';
import {mkdirSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import type {
	ChildCommand,
	ChildReply,
	ChildReplyMessage,
	ChildRequestMessage,
	ServerKind,
} from './child-protocol.js';

const childEntry = fileURLToPath(
	new URL(
		import.meta.url.endsWith('.ts') ? './server-child.ts' : './server-child.js',
		import.meta.url,
	),
);

export type ChildOptions = {
	/** Where to write the child's V8 CPU profile (node --cpu-prof), if anywhere. */
	readonly profileDirectory?: string;
};

export class ServerChild {
	private nextSequence = 1;
	private readonly waiting = new Map<
		number,
		{resolve: (reply: ChildReply) => void; reject: (error: Error) => void}
	>();

	private exited = false;
	port = 0;
	fingerprint: string | undefined;

	private constructor(
		readonly kind: ServerKind,
		private readonly process: ChildProcess,
	) {
		process.on('message', (message: ChildReplyMessage) => {
			const waiter = this.waiting.get(message.sequence);
			if (!waiter) return;
			this.waiting.delete(message.sequence);
			if (message.reply.type === 'error')
				waiter.reject(new Error(`${kind} server child: ${message.reply.message}`));
			else waiter.resolve(message.reply);
		});
		process.on('exit', (code, signal) => {
			this.exited = true;
			for (const waiter of this.waiting.values())
				waiter.reject(new Error(`${kind} server child exited (${signal ?? code})`));
			this.waiting.clear();
		});
	}

	/** Forks a child and has it listen on 127.0.0.1 with the given command. */
	static async start(
		kind: ServerKind,
		listen: ChildCommand,
		options: ChildOptions = {},
	): Promise<ServerChild> {
		const execArgv = [...process.execArgv];
		if (options.profileDirectory) {
			mkdirSync(options.profileDirectory, {recursive: true});
			execArgv.push(
				'--cpu-prof',
				`--cpu-prof-dir=${options.profileDirectory}`,
				`--cpu-prof-name=${kind}-${Date.now()}.cpuprofile`,
			);
		}

		const child = new ServerChild(
			kind,
			fork(childEntry, [], {execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc']}),
		);
		const reply = await child.request(listen);
		if (reply.type !== 'listening')
			throw new Error(`${kind} server child answered ${reply.type} to ${listen.type}`);
		child.port = reply.port;
		child.fingerprint = reply.fingerprint;
		return child;
	}

	async request(command: ChildCommand): Promise<ChildReply> {
		if (this.exited) throw new Error(`${this.kind} server child has exited`);
		const sequence = this.nextSequence++;
		return new Promise((resolve, reject) => {
			this.waiting.set(sequence, {resolve, reject});
			const message: ChildRequestMessage = {sequence, command};
			this.process.send(message);
		});
	}

	/** The child's user + system CPU time so far, in microseconds. */
	async cpuMicros(): Promise<number> {
		const reply = await this.request({type: 'cpu-usage'});
		if (reply.type !== 'cpu-usage')
			throw new Error(`${this.kind} server child answered ${reply.type} to cpu-usage`);
		return reply.userMicros + reply.systemMicros;
	}

	/** Closes the server and waits for the child to exit. */
	async stop(): Promise<void> {
		if (this.exited) return;
		const exited = new Promise<void>((resolve) => {
			this.process.once('exit', () => {
				resolve();
			});
		});
		await this.request({type: 'stop'});
		await exited;
	}

	/** Last resort, for a benchmark that failed half way. */
	kill(): void {
		if (!this.exited) this.process.kill();
	}
}
