// The mailer next to a server that has not created its key file yet (the
// first `make run`): it must wait for the key, then deliver.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, copyFileSync, chmodSync, renameSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register, uniqueEmail, sleep } from './lib.mjs';

test('a mailer started before the key file exists waits for it, then delivers', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'mw-mailer-'));
	const key = join(dir, 'mitwirken.key');
	const mailDir = join(dir, 'mail');
	try {
		const email = uniqueEmail('keywait');
		await register(email);
		const child = spawn(process.env.MAILER_BIN, ['--once'], { env: { ...process.env,
			MITWIRKEN_KEY_FILE: key, MITWIRKEN_MAIL_DIR: mailDir } });
		let stderr = '';
		child.stderr.on('data', (d) => { stderr += d; });
		const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
		await sleep(1500);
		assert.equal(child.exitCode, null, `the mailer gave up before the key existed: ${stderr}`);
		// The server creates the key file on its first start, whole at once;
		// here it is the test server's key, so the outbox opens with it.
		copyFileSync(process.env.MITWIRKEN_KEY_FILE, `${key}.new`);
		chmodSync(`${key}.new`, 0o600);
		renameSync(`${key}.new`, key);
		const code = await Promise.race([exited, sleep(20000).then(() => 'still running')]);
		if (code === 'still running') child.kill();
		assert.equal(code, 0, stderr);
		assert.match(stderr, /waiting up to \d+ s for key file/);
		const mails = readdirSync(mailDir).map((f) => readFileSync(join(mailDir, f), 'utf8'))
			.filter((m) => m.includes(`To: <${email}>`));
		assert.equal(mails.length, 1, 'the verification mail was delivered');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
