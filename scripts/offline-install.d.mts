/** Types of offline-install.mjs (plain JavaScript so the benchmark runs it without a build). */
export declare function tarballManifest(tarball: string): Record<string, unknown> & { name: string; version: string };
/**
 * Creates `dir` and installs `tarball` into it with `npm ci --offline`, the versions read from
 * `lockfilePath` (default: the repository's package-lock.json); returns `dir`.
 */
export declare function installTarballOffline(tarball: string, dir: string, extra?: Record<string, unknown>, lockfilePath?: string): string;
