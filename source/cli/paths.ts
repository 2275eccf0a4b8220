/**
 * Where securebank keeps its files. XDG folders by default (env-paths); SECUREBANK_HOME puts
 * everything in one folder instead, which is what tests, demos and containers want.
 *
 *   server data: host keys (host_ed25519_key, host_rsa3072_key) and ledger.sqlite3
 *   client:      known_hosts
 */
import {join} from 'node:path';
import envPaths from 'env-paths';

export function serverDataDirectory(explicit?: string): string {
	if (explicit) return explicit;
	const home = process.env['SECUREBANK_HOME'];
	if (home) return join(home, 'server');
	return envPaths('securebank', {suffix: ''}).data;
}

export function knownHostsFile(explicit?: string): string {
	if (explicit) return explicit;
	const home = process.env['SECUREBANK_HOME'];
	if (home) return join(home, 'known_hosts');
	return join(envPaths('securebank', {suffix: ''}).config, 'known_hosts');
}
