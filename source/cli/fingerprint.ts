/** `securebank fingerprint`: the server's host key fingerprints, as `ssh-keygen -lf` prints them. */
import {loadHostKey} from '../crypto/host-keys.js';
import {serverDataDirectory} from './paths.js';
import type {CliFlags} from './run.js';

export function printFingerprints(flags: CliFlags): number {
	const directory = serverDataDirectory(flags.data);
	let found = 0;
	for (const type of ['ed25519', 'rsa-3072'] as const) {
		try {
			const key = loadHostKey(directory, type);
			if (!key) continue;
			found++;
			process.stdout.write(
				`${type === 'ed25519' ? 256 : 3072} ${key.fingerprint} securebank-host (${type === 'ed25519' ? 'ED25519' : 'RSA'})\n`,
			);
		} catch (error) {
			process.stderr.write(`securebank: ${(error as Error).message}\n`);
			return 5;
		}
	}

	if (found === 0) {
		process.stderr.write(
			`securebank: no host keys in ${directory}; \`securebank serve\` creates them on first start\n`,
		);
		return 5;
	}

	return 0;
}
