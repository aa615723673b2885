/**
 * DOT to SVG with Graphviz compiled to WebAssembly (@viz-js/viz, pinned exactly in package.json so
 * the committed SVG is byte-stable). Loaded on first use: nothing is paid when no one draws.
 */
import { importOptional } from './optional-dependency.js';

type Viz = { renderString(input: string, options?: { format?: string }): string };

let vizPromise: Promise<Viz> | undefined;

/**
 * Renders Graphviz DOT text (such as `toDot(machineGraph())` gives) to SVG markup.
 * @throws {MissingOptionalDependencyError} (a rejection) when @viz-js/viz is not installed.
 */
export async function renderSvg(dot: string): Promise<string> {
  vizPromise ??= importOptional<{ instance(): Promise<Viz> }>('@viz-js/viz', 'drawing the statechart').then((module) => module.instance());
  vizPromise.catch(() => (vizPromise = undefined)); // a later call retries (say, after an install)
  const viz = await vizPromise;
  return viz.renderString(dot, { format: 'svg' });
}
