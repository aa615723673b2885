/**
 * Tests that need an outside program (baresip, sipp, chromium) call `programAvailable` and skip
 * when it is missing, with a hint how to install it. Under `scripts/test-all.sh` (CTI_REQUIRE_ALL_TESTS=1)
 * a missing program is an error instead, so CI can never pass by skipping.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface ProgramCheck {
  readonly available: boolean;
  readonly hint: string;
}

function onPath(command: string): boolean {
  if (command.startsWith('/')) return existsSync(command);
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `programAvailable('baresip', 'baresip-core')`: is the program there, and how to get it if not. */
export function programAvailable(command: string, debianPackage: string): ProgramCheck {
  const available = onPath(command);
  const hint = `${command} is not installed: run \`apt-get install ${debianPackage}\` (or \`bash scripts/test-all.sh\`, which installs it)`;
  if (!available && process.env.CTI_REQUIRE_ALL_TESTS === '1') {
    throw new Error(`${hint}. CTI_REQUIRE_ALL_TESTS=1 forbids skipping.`);
  }
  if (!available) console.warn(`skipping: ${hint}`);
  return { available, hint };
}
