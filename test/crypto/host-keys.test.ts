/**
 * Tests of source/crypto/host-keys.ts: OpenSSH blobs and SHA256 fingerprints (RFC 4253 6.6, checked
 * against ssh-keygen), PKCS#8 / OpenSSH files with their modes, and the refusals of bad files
 * and bad wire keys.
 */
import {
	accessSync,
	chmodSync,
	constants,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import {execFileSync} from 'node:child_process';
import {createPrivateKey, createPublicKey} from 'node:crypto';
import {tmpdir} from 'node:os';
import {delimiter, join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {
	HostKeyFileError,
	fingerprintOf,
	generateHostKey,
	hostKeyFileNames,
	hostPublicKeyFromWire,
	loadHostKey,
	loadOrCreateHostKeys,
	openSshPublicKeyBlob,
	saveHostKey,
	type HostKey,
	type HostKeyAlgorithm,
} from '../../source/crypto/host-keys.js';
import {
	CryptoInputError,
	ed25519Sign,
	ed25519Verify,
	rsaGenerateKeyPair,
	rsaPssSign,
	rsaPssVerify,
} from '../../source/crypto/primitives.js';
import {loadWycheproof, type PssGroup} from './wycheproof.js';

const FINGERPRINT = /^SHA256:[A-Za-z\d+/]{43}$/;

// RFC 8032 section 7.1 TEST 1.
const RFC8032_SECRET = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const RFC8032_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
/**
 * Obtained with OpenSSH_9.2p1: a .pub line for RFC8032_PUBLIC built by hand (Python: string
 * "ssh-ed25519" + string key, base64), then `ssh-keygen -lf rfc8032.pub` printed
 * "256 SHA256:bbXpuKG6zhzdmnxq256TlqzFBzRl2f6OOg722cYNbU8 rfc8032-test1 (ED25519)".
 */
const RFC8032_BLOB_BASE64 = 'AAAAC3NzaC1lZDI1NTE5AAAAINdamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea';
const RFC8032_FINGERPRINT = 'SHA256:bbXpuKG6zhzdmnxq256TlqzFBzRl2f6OOg722cYNbU8';
/**
 * The RSA-3072 key of wycheproof rsa_pss_3072_sha256_mgf1_32_test.json. Obtained with
 * OpenSSH_9.2p1, without our code: its publicKeyPem converted by `ssh-keygen -i -m PKCS8 -f key.pem`,
 * then `ssh-keygen -lf` printed "3072 SHA256:Y1P2HR9Ix1N4+Be1UpFRXFncoXggKM6JLrepRMrJO7U (RSA)".
 */
const WYCHEPROOF_RSA_FINGERPRINT = 'SHA256:Y1P2HR9Ix1N4+Be1UpFRXFncoXggKM6JLrepRMrJO7U';

const temporaryDirectories: string[] = [];
function temporaryDirectory(): string {
	const directory = mkdtempSync(join(tmpdir(), 'securebank-host-keys-'));
	temporaryDirectories.push(directory);
	return directory;
}

const modeOf = (file: string): number => statSync(file).mode & 0o777;

function errorOf(action: () => unknown): Error {
	try {
		action();
	} catch (error) {
		if (error instanceof Error) return error;
		throw new Error(`threw a non-Error: ${String(error)}`, {cause: error});
	}

	throw new Error('expected an error, none was thrown');
}

/** The PKCS#8 PEM of RFC 8032 TEST 1 (RFC 8410 section 7: fixed header, then the secret). */
function rfc8032Pem(): string {
	const der = Buffer.concat([
		Buffer.from('302e020100300506032b657004220420', 'hex'),
		Buffer.from(RFC8032_SECRET, 'hex'),
	]);
	return createPrivateKey({key: der, format: 'der', type: 'pkcs8'})
		.export({format: 'pem', type: 'pkcs8'})
		.toString();
}

function writePrivateFile(
	directory: string,
	type: HostKeyAlgorithm,
	contents: string,
	mode = 0o600,
): string {
	const file = join(directory, hostKeyFileNames(type).privateFile);
	writeFileSync(file, contents, {mode});
	chmodSync(file, mode);
	return file;
}

/** The ssh-keygen on PATH, if any. */
const sshKeygen = (process.env.PATH ?? '')
	.split(delimiter)
	.filter((directory) => directory !== '')
	.map((directory) => join(directory, 'ssh-keygen'))
	.find((file) => {
		try {
			accessSync(file, constants.X_OK);
			return true;
		} catch {
			return false;
		}
	});

let rsaKey: HostKey;
let ed25519Key: HostKey;
let rsa2048: ReturnType<typeof rsaGenerateKeyPair> | undefined;
/** A 2048-bit RSA pair (the wrong size), generated once on first use. */
function smallRsa(): ReturnType<typeof rsaGenerateKeyPair> {
	rsa2048 ??= rsaGenerateKeyPair(2048);
	return rsa2048;
}

beforeAll(() => {
	// RSA-3072 key generation takes 0.5-2 s: once for the whole file.
	rsaKey = generateHostKey('rsa-3072');
	ed25519Key = generateHostKey('ed25519');
});

afterAll(() => {
	for (const directory of temporaryDirectories) rmSync(directory, {recursive: true, force: true});
});

// ---------------------------------------------------------------------------------------------

describe('OpenSSH blobs and fingerprints (RFC 4253 6.6)', () => {
	it('RFC 8032 TEST 1 key: blob and fingerprint equal what ssh-keygen printed (hard-coded)', () => {
		const raw = Buffer.from(RFC8032_PUBLIC, 'hex');
		expect(openSshPublicKeyBlob('ed25519', raw).toString('base64')).toBe(RFC8032_BLOB_BASE64);
		expect(fingerprintOf('ed25519', raw)).toBe(RFC8032_FINGERPRINT);
	});

	it('wycheproof RSA-3072 key: fingerprint equals what ssh-keygen printed (hard-coded)', () => {
		const file = loadWycheproof<PssGroup>('rsa_pss_3072_sha256_mgf1_32_test.json');
		const spki = Buffer.from(file.testGroups[0]!.publicKeyDer, 'hex');
		expect(fingerprintOf('rsa-3072', spki)).toBe(WYCHEPROOF_RSA_FINGERPRINT);
	});

	it('RFC 4251 5: ssh-rsa blob is string "ssh-rsa", mpint e = 65537, mpint n with a leading zero', () => {
		const blob = openSshPublicKeyBlob('rsa-3072', rsaKey.publicKeyBytes);
		expect(blob.readUInt32BE(0)).toBe(7);
		expect(blob.subarray(4, 11).toString('latin1')).toBe('ssh-rsa');
		expect(blob.subarray(11, 18).toString('hex')).toBe('00000003010001');
		// The modulus n has its top bit set (3072 bits exactly), so the mpint is 0x00 then 384 bytes.
		expect(blob.readUInt32BE(18)).toBe(385);
		expect(blob[22]).toBe(0);
		expect((blob[23]! & 0x80) !== 0).toBe(true);
		expect(blob.length).toBe(22 + 385);
	});

	it('RFC 8709 4: ssh-ed25519 blob is string "ssh-ed25519" then string of the 32-byte key', () => {
		const blob = openSshPublicKeyBlob('ed25519', ed25519Key.publicKeyBytes);
		expect(blob.length).toBe(4 + 11 + 4 + 32);
		expect(blob.subarray(0, 19).toString('hex')).toBe(
			`0000000b${Buffer.from('ssh-ed25519').toString('hex')}00000020`,
		);
		expect(blob.subarray(19).equals(ed25519Key.publicKeyBytes)).toBe(true);
	});

	it('fingerprints look like ssh-keygen output: SHA256: and 43 unpadded base64 characters', () => {
		for (const key of [rsaKey, ed25519Key]) {
			expect(key.fingerprint).toMatch(FINGERPRINT);
			expect(fingerprintOf(key.type, key.publicKeyBytes)).toBe(key.fingerprint);
		}

		expect(rsaKey.publicKeyBytes.length).toBeGreaterThan(384);
		expect(ed25519Key.publicKeyBytes.length).toBe(32);
		expect(generateHostKey('ed25519').fingerprint).not.toBe(ed25519Key.fingerprint);
	});

	it('a blob for a public key of the wrong size is refused', () => {
		expect(() => openSshPublicKeyBlob('ed25519', Buffer.alloc(31))).toThrow(CryptoInputError);
		expect(() => fingerprintOf('rsa-3072', Buffer.alloc(32))).toThrow(CryptoInputError);
	});

	describe.skipIf(sshKeygen === undefined)('against ssh-keygen on PATH', () => {
		const run = (...args: string[]) => execFileSync(sshKeygen!, args, {encoding: 'utf8'});

		it('ssh-keygen -lf on our .pub files prints our fingerprints', () => {
			const directory = temporaryDirectory();
			for (const key of [rsaKey, ed25519Key]) {
				saveHostKey(directory, key);
				const output = run('-lf', join(directory, hostKeyFileNames(key.type).publicFile));
				const bits = key.type === 'ed25519' ? '256' : '3072';
				const label = key.type === 'ed25519' ? 'ED25519' : 'RSA';
				expect(output.trim()).toBe(`${bits} ${key.fingerprint} securebank-host (${label})`);
			}
		});

		it('ssh-keygen reads our RSA PKCS#8 private key and converts our .pub back to our SPKI', () => {
			const directory = temporaryDirectory();
			saveHostKey(directory, rsaKey);
			const {privateFile, publicFile} = hostKeyFileNames('rsa-3072');
			const publicLine = readFileSync(join(directory, publicFile), 'utf8').split(' ');
			const derived = run('-y', '-f', join(directory, privateFile)).trim().split(' ');
			expect(derived.slice(0, 2)).toEqual(publicLine.slice(0, 2));
			const pem = run('-e', '-m', 'PKCS8', '-f', join(directory, publicFile));
			const spki = createPublicKey(pem).export({format: 'der', type: 'spki'});
			expect(spki.equals(rsaKey.publicKeyBytes)).toBe(true);
		});

		it('an Ed25519 key made by ssh-keygen: our fingerprint of its raw key equals ssh-keygen -lf', () => {
			const directory = temporaryDirectory();
			const file = join(directory, 'made_by_ssh_keygen');
			run('-q', '-t', 'ed25519', '-N', '', '-C', 'test', '-f', file);
			const blob = Buffer.from(readFileSync(`${file}.pub`, 'utf8').split(' ')[1]!, 'base64');
			// The blob: string "ssh-ed25519" (4 + 11 bytes), then string key (4 + 32 bytes).
			const raw = blob.subarray(19);
			expect(raw.length).toBe(32);
			const expected = run('-lf', `${file}.pub`).split(' ')[1];
			expect(fingerprintOf('ed25519', raw)).toBe(expected);
			expect(hostPublicKeyFromWire('ed25519', raw).fingerprint).toBe(expected);
		});
	});
});

// ---------------------------------------------------------------------------------------------

describe('saving and loading host keys', () => {
	it('hostKeyFileNames: host_ed25519_key(.pub) and host_rsa3072_key(.pub)', () => {
		expect(hostKeyFileNames('ed25519')).toEqual({
			privateFile: 'host_ed25519_key',
			publicFile: 'host_ed25519_key.pub',
		});
		expect(hostKeyFileNames('rsa-3072')).toEqual({
			privateFile: 'host_rsa3072_key',
			publicFile: 'host_rsa3072_key.pub',
		});
	});

	it('save then load round-trips both types; the loaded keys sign for the saved public keys', () => {
		const directory = temporaryDirectory();
		saveHostKey(directory, ed25519Key);
		saveHostKey(directory, rsaKey);
		const message = Buffer.from('transcript hash');

		const ed25519 = loadHostKey(directory, 'ed25519')!;
		expect(ed25519.fingerprint).toBe(ed25519Key.fingerprint);
		expect(ed25519.publicKeyBytes.equals(ed25519Key.publicKeyBytes)).toBe(true);
		expect(
			ed25519Verify(ed25519Key.publicKey, message, ed25519Sign(ed25519.privateKey, message)),
		).toBe(true);

		const rsa = loadHostKey(directory, 'rsa-3072')!;
		expect(rsa.fingerprint).toBe(rsaKey.fingerprint);
		expect(rsa.publicKeyBytes.equals(rsaKey.publicKeyBytes)).toBe(true);
		expect(rsaPssVerify(rsaKey.publicKey, message, rsaPssSign(rsa.privateKey, message))).toBe(true);
	});

	it('files: PKCS#8 PEM private 0600, one-line OpenSSH public 0644, nothing else left behind', () => {
		const directory = temporaryDirectory();
		saveHostKey(directory, ed25519Key);
		saveHostKey(directory, rsaKey);
		expect(readdirSync(directory).sort()).toEqual([
			'host_ed25519_key',
			'host_ed25519_key.pub',
			'host_rsa3072_key',
			'host_rsa3072_key.pub',
		]);
		for (const key of [ed25519Key, rsaKey]) {
			const {privateFile, publicFile} = hostKeyFileNames(key.type);
			expect(modeOf(join(directory, privateFile))).toBe(0o600);
			expect(modeOf(join(directory, publicFile))).toBe(0o644);
			expect(readFileSync(join(directory, privateFile), 'utf8')).toMatch(
				/^-----BEGIN PRIVATE KEY-----\n[A-Za-z\d+/=\n]+-----END PRIVATE KEY-----\n$/,
			);
		}

		expect(readFileSync(join(directory, 'host_ed25519_key.pub'), 'utf8')).toMatch(
			/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5[A-Za-z\d+/]+={0,2} securebank-host\n$/,
		);
		expect(readFileSync(join(directory, 'host_rsa3072_key.pub'), 'utf8')).toMatch(
			/^ssh-rsa AAAAB3NzaC1yc2E[A-Za-z\d+/]+={0,2} securebank-host\n$/,
		);
	});

	it('modes hold whatever the umask; a missing directory is created 0700', () => {
		const directory = join(temporaryDirectory(), 'state', 'keys');
		const previous = process.umask(0o077);
		try {
			saveHostKey(directory, ed25519Key);
		} finally {
			process.umask(previous);
		}

		expect(modeOf(directory)).toBe(0o700);
		expect(modeOf(join(directory, 'host_ed25519_key'))).toBe(0o600);
		expect(modeOf(join(directory, 'host_ed25519_key.pub'))).toBe(0o644);

		const open = join(temporaryDirectory(), 'open');
		const before = process.umask(0);
		try {
			saveHostKey(open, ed25519Key);
		} finally {
			process.umask(before);
		}

		expect(modeOf(open)).toBe(0o700);
		expect(modeOf(join(open, 'host_ed25519_key'))).toBe(0o600);

		// A umask that takes the owner's search bit: mkdir alone would leave the directory 0600.
		const odd = join(temporaryDirectory(), 'odd');
		const saved = process.umask(0o100);
		try {
			saveHostKey(odd, ed25519Key);
		} finally {
			process.umask(saved);
		}

		expect(modeOf(odd)).toBe(0o700);
	});

	it('saving again replaces the files atomically (rename over the old ones)', () => {
		const directory = temporaryDirectory();
		saveHostKey(directory, ed25519Key);
		const replacement = generateHostKey('ed25519');
		saveHostKey(directory, replacement);
		expect(loadHostKey(directory, 'ed25519')!.fingerprint).toBe(replacement.fingerprint);
		expect(readdirSync(directory).sort()).toEqual(['host_ed25519_key', 'host_ed25519_key.pub']);
	});

	it('no file (or no directory) loads as undefined', () => {
		const directory = temporaryDirectory();
		expect(loadHostKey(directory, 'ed25519')).toBeUndefined();
		expect(loadHostKey(join(directory, 'missing'), 'rsa-3072')).toBeUndefined();
	});

	it('a fixed PKCS#8 key (RFC 8032 TEST 1) loads with the ssh-keygen fingerprint', () => {
		const directory = temporaryDirectory();
		writePrivateFile(directory, 'ed25519', rfc8032Pem());
		const key = loadHostKey(directory, 'ed25519')!;
		expect(key.publicKeyBytes.toString('hex')).toBe(RFC8032_PUBLIC);
		expect(key.fingerprint).toBe(RFC8032_FINGERPRINT);
	});

	it('a group- or world-accessible private key is refused: UNPROTECTED PRIVATE KEY FILE, chmod 600', () => {
		const directory = temporaryDirectory();
		for (const mode of [0o640, 0o604, 0o644, 0o660, 0o610]) {
			const file = writePrivateFile(directory, 'ed25519', rfc8032Pem(), mode);
			const error = errorOf(() => loadHostKey(directory, 'ed25519'));
			expect(error).toBeInstanceOf(HostKeyFileError);
			expect(error.message).toContain(file);
			expect(error.message).toContain('UNPROTECTED PRIVATE KEY FILE');
			expect(error.message).toContain(`permissions 0${mode.toString(8)}`);
			expect(error.message).toContain(`chmod 600 ${file}`);
		}

		writePrivateFile(directory, 'ed25519', rfc8032Pem(), 0o400);
		expect(loadHostKey(directory, 'ed25519')!.fingerprint).toBe(RFC8032_FINGERPRINT);
	});

	it('a corrupt or truncated private key file is refused with an error naming the file', () => {
		const directory = temporaryDirectory();
		const pem = rfc8032Pem();
		for (const contents of ['not a key\n', '', pem.slice(0, 40), pem.replace('MC4', 'XX4')]) {
			const file = writePrivateFile(directory, 'ed25519', contents);
			const error = errorOf(() => loadHostKey(directory, 'ed25519'));
			expect(error).toBeInstanceOf(HostKeyFileError);
			expect(error.message).toContain(file);
			expect(error.message).toMatch(/not a valid unencrypted PKCS#8 PEM private key/);
		}
	});

	it('a private key file that is a directory is refused', () => {
		const directory = temporaryDirectory();
		mkdirSync(join(directory, 'host_ed25519_key'), {mode: 0o700});
		expect(() => loadHostKey(directory, 'ed25519')).toThrow(
			/host_ed25519_key: is not a regular file/,
		);
	});

	it('a key of the wrong type or size is refused, naming the file', () => {
		const directory = temporaryDirectory();
		const rsaFile = writePrivateFile(directory, 'rsa-3072', rfc8032Pem());
		expect(() => loadHostKey(directory, 'rsa-3072')).toThrow(
			`${rsaFile}: holds an ed25519 key, expected rsa`,
		);

		const rsaPem = rsaKey.privateKey.export({format: 'pem', type: 'pkcs8'}).toString();
		const ed25519File = writePrivateFile(directory, 'ed25519', rsaPem);
		expect(() => loadHostKey(directory, 'ed25519')).toThrow(
			`${ed25519File}: holds an rsa key, expected ed25519`,
		);

		const small = smallRsa().privateKey.export({format: 'pem', type: 'pkcs8'});
		writePrivateFile(directory, 'rsa-3072', small.toString());
		expect(() => loadHostKey(directory, 'rsa-3072')).toThrow(
			`${rsaFile}: holds a 2048-bit RSA key, expected 3072`,
		);
	});

	it('a .pub that does not match its private key, or is not an OpenSSH line, is refused', () => {
		const directory = temporaryDirectory();
		saveHostKey(directory, ed25519Key);
		const publicFile = join(directory, 'host_ed25519_key.pub');
		const other = generateHostKey('ed25519');
		const otherBlob = openSshPublicKeyBlob('ed25519', other.publicKeyBytes).toString('base64');
		writeFileSync(publicFile, `ssh-ed25519 ${otherBlob} securebank-host\n`);
		expect(() => loadHostKey(directory, 'ed25519')).toThrow(
			`${publicFile}: does not match the private key`,
		);
		writeFileSync(publicFile, `ssh-rsa ${otherBlob} securebank-host\n`);
		expect(() => loadHostKey(directory, 'ed25519')).toThrow(
			`${publicFile}: holds 'ssh-rsa', expected an ssh-ed25519 key`,
		);
		writeFileSync(publicFile, 'ssh-ed25519 !!!not-base64!!!\n');
		expect(() => loadHostKey(directory, 'ed25519')).toThrow(
			`${publicFile}: is not an OpenSSH public key line`,
		);
	});
});

// ---------------------------------------------------------------------------------------------

describe('loadOrCreateHostKeys', () => {
	it('creates what is missing, loads what exists, and creates nothing the second time', () => {
		const directory = join(temporaryDirectory(), 'host-keys');
		saveHostKey(directory, rsaKey); // Saves a second RSA-3072 key generation.
		const first = loadOrCreateHostKeys(directory, ['ed25519', 'rsa-3072']);
		expect(first.created).toEqual(['ed25519']);
		expect(first.keys.map((key) => key.type)).toEqual(['ed25519', 'rsa-3072']);
		expect(first.keys[1]!.fingerprint).toBe(rsaKey.fingerprint);
		expect(modeOf(join(directory, 'host_ed25519_key'))).toBe(0o600);

		const second = loadOrCreateHostKeys(directory, ['rsa-3072', 'ed25519', 'ed25519']);
		expect(second.created).toEqual([]);
		expect(second.keys.map((key) => key.fingerprint)).toEqual([
			rsaKey.fingerprint,
			first.keys[0]!.fingerprint,
		]);
	});

	it('writes a missing .pub again next to an existing private key', () => {
		const directory = temporaryDirectory();
		saveHostKey(directory, ed25519Key);
		rmSync(join(directory, 'host_ed25519_key.pub'));
		const {created} = loadOrCreateHostKeys(directory, ['ed25519']);
		expect(created).toEqual([]);
		expect(readFileSync(join(directory, 'host_ed25519_key.pub'), 'utf8')).toContain(
			openSshPublicKeyBlob('ed25519', ed25519Key.publicKeyBytes).toString('base64'),
		);
	});

	it('never replaces a corrupt or unprotected key with a new one: it throws and leaves the file', () => {
		const directory = temporaryDirectory();
		const file = writePrivateFile(directory, 'ed25519', 'corrupt\n');
		expect(() => loadOrCreateHostKeys(directory, ['ed25519'])).toThrow(HostKeyFileError);
		expect(readFileSync(file, 'utf8')).toBe('corrupt\n');
		writePrivateFile(directory, 'ed25519', rfc8032Pem(), 0o644);
		expect(() => loadOrCreateHostKeys(directory, ['ed25519'])).toThrow(
			/UNPROTECTED PRIVATE KEY FILE/,
		);
	});
});

// ---------------------------------------------------------------------------------------------

describe('hostPublicKeyFromWire', () => {
	it('accepts the wire form of both types and returns the same fingerprint', () => {
		for (const key of [ed25519Key, rsaKey]) {
			const received = hostPublicKeyFromWire(key.type, key.publicKeyBytes);
			expect(received.fingerprint).toBe(key.fingerprint);
			expect(received.publicKey.asymmetricKeyType).toBe(key.type === 'ed25519' ? 'ed25519' : 'rsa');
		}

		const message = Buffer.from('m');
		const received = hostPublicKeyFromWire('ed25519', ed25519Key.publicKeyBytes);
		expect(
			ed25519Verify(received.publicKey, message, ed25519Sign(ed25519Key.privateKey, message)),
		).toBe(true);
	});

	it('Ed25519: anything but exactly 32 bytes is refused with a CryptoInputError', () => {
		for (const length of [0, 31, 33, 44, 64]) {
			const error = errorOf(() => hostPublicKeyFromWire('ed25519', Buffer.alloc(length, 1)));
			expect(error).toBeInstanceOf(CryptoInputError);
			expect(error.message).toBe(`Ed25519 host key must be 32 bytes, got ${length}`);
		}

		// The SPKI form is not the Ed25519 wire form.
		const spki = ed25519Key.publicKey.export({format: 'der', type: 'spki'});
		expect(() => hostPublicKeyFromWire('ed25519', spki)).toThrow(CryptoInputError);
	});

	it('RSA-3072: other sizes, extra bytes, other key types and garbage are refused', () => {
		const refuse = (bytes: Uint8Array, message: RegExp) => {
			const error = errorOf(() => hostPublicKeyFromWire('rsa-3072', bytes));
			expect(error).toBeInstanceOf(CryptoInputError);
			expect(error.message).toMatch(/^RSA-3072 host key rejected: /);
			expect(error.message).toMatch(message);
		};

		const small = smallRsa().publicKey.export({format: 'der', type: 'spki'});
		refuse(small, /must be 3072 bits, got 2048/);
		refuse(Buffer.concat([rsaKey.publicKeyBytes, Uint8Array.of(0)]), /not canonical/);
		refuse(rsaKey.publicKeyBytes.subarray(0, 100), /not valid SPKI DER/);
		refuse(Buffer.alloc(0), /not valid SPKI DER/);
		refuse(
			ed25519Key.publicKey.export({format: 'der', type: 'spki'}),
			/expected an RSA public key/,
		);
		refuse(ed25519Key.publicKeyBytes, /not valid SPKI DER/);
	});

	it('textbook-rsa is not a host key type here', () => {
		const textbook = 'textbook-rsa' as HostKeyAlgorithm;
		expect(() => hostPublicKeyFromWire(textbook, Buffer.alloc(32))).toThrow(
			/unsupported host key type/,
		);
		expect(() => generateHostKey(textbook)).toThrow(CryptoInputError);
		expect(() => hostKeyFileNames(textbook)).toThrow(CryptoInputError);
	});
});
