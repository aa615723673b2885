/**
 * DOT to SVG with Graphviz compiled to WebAssembly (@viz-js/viz, pinned exactly in package.json so
 * the committed SVG is byte-stable). Loaded on first use: nothing is paid when no one draws.
 */
type Viz = { renderString(input: string, options?: { format?: string }): string };

let vizPromise: Promise<Viz> | undefined;

export async function renderSvg(dot: string): Promise<string> {
  vizPromise ??= import('@viz-js/viz').then((module) => module.instance());
  const viz = await vizPromise;
  return viz.renderString(dot, { format: 'svg' });
}
