/**
 * How a real phone reports what it did instead of throwing: to its `onDiagnostic` hook, then to
 * its logger at a level chosen from the code. The codes each phone uses are listed on its
 * Diagnostic type (BaresipDiagnostic, LinphoneDiagnostic).
 */
import type { Logger } from '../log/index.js';

/** One report: a stable code and a sentence for a person. */
export interface PhoneDiagnostic {
  readonly code: string;
  readonly message: string;
}

/** Where a phone's reports go (its resolved options). */
export interface DiagnosticHooks {
  readonly onDiagnostic: (diagnostic: PhoneDiagnostic) => void;
  readonly logger: Logger | undefined;
}

/** How one phone words and weighs its reports. */
export interface DiagnosticStyle {
  /** Put before each logged message, e.g. `baresip` gives `baresip: <message>`. */
  readonly prefix: string;
  /** Codes logged at warn; `reconnected` is logged at info, every other code at debug. */
  readonly warn: RegExp;
}

/** Hands `{ code, message }` to the hook (a hook that throws is ignored), then logs it. */
export function reportDiagnostic(
  hooks: DiagnosticHooks,
  style: DiagnosticStyle,
  code: string,
  message: string,
): void {
  try {
    hooks.onDiagnostic({ code, message });
  } catch {
    // A diagnostics hook that throws must not break the phone.
  }
  const level = code === 'reconnected' ? 'info' : style.warn.test(code) ? 'warn' : 'debug';
  hooks.logger?.[level](`${style.prefix}: ${message}`, { code });
}
