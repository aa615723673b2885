/** The inspector page's markup and style; its behaviour is in page-script.ts. No outside resources. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>cti-conversation inspector</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font: 13px/1.4 system-ui, sans-serif; color: #222; background: #f4f5f7; }
  header { display: flex; gap: 12px; align-items: baseline; padding: 8px 14px; background: #263238; color: #fff; }
  header h1 { font-size: 15px; margin: 0; font-weight: 600; }
  #connection { font-size: 12px; opacity: 0.8; }
  main { display: grid; grid-template-columns: 270px 1fr; gap: 10px; padding: 10px; height: calc(100vh - 38px); }
  section { background: #fff; border: 1px solid #d7dbe0; border-radius: 6px; padding: 8px 10px; overflow: auto; }
  h2 { font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; color: #607d8b; margin: 0 0 6px; }
  #legs ul { list-style: none; margin: 0; padding: 0; }
  #legs li { padding: 6px 8px; border-radius: 4px; cursor: pointer; border: 1px solid transparent; margin-bottom: 4px; }
  #legs li:hover { background: #eceff1; }
  #legs li.selected { background: #e3f2fd; border-color: #90caf9; }
  #legs li.ended { opacity: 0.6; }
  .leg-target { font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
  .leg-state { font-size: 11px; color: #455a64; }
  .badge { display: inline-block; font-size: 10px; padding: 0 5px; border-radius: 8px; background: #c8e6c9; color: #1b5e20; margin-left: 4px; }
  .ended .badge { background: #eceff1; color: #546e7a; }
  #detail { display: grid; grid-template-rows: auto minmax(0, 1fr); gap: 10px; min-height: 0; }
  #below { display: grid; grid-template-columns: minmax(300px, 34%) 1fr; gap: 10px; min-height: 0; }
  #diagram { text-align: center; }
  #diagram svg { max-width: 100%; height: auto; max-height: 42vh; }
  #diagram g.node.active > path, #diagram g.node.active > polygon, #diagram g.node.active > ellipse {
    fill: #ffd54f; stroke: #e65100; stroke-width: 2.5px; }
  #diagram g.edge.taken > path, #diagram g.edge.taken > polygon { stroke: #e65100; stroke-width: 2.5px; }
  #diagram g.edge.taken > text { fill: #e65100; font-weight: 600; }
  #diagram g.cluster.active > path, #diagram g.cluster.active > polygon { stroke: #e65100; stroke-width: 1.5px; fill: #fffaf0; }
  #call-model { display: flex; gap: 8px; justify-content: center; align-items: center; margin-top: 6px; font-size: 12px; }
  #call-model .caption { color: #607d8b; margin-right: 4px; }
  #call-model .call-state { border: 1px solid #555; border-radius: 10px; padding: 4px 12px; background: #fff; }
  #call-model .call-state.active { background: #ffd54f; border: 2.5px solid #e65100; font-weight: 600; }
  #call-model .mute-flag { padding: 2px 8px; border-radius: 8px; background: #eceff1; color: #546e7a; }
  #call-model .mute-flag.on { background: #ffcdd2; color: #b71c1c; }
  #context table { border-collapse: collapse; width: 100%; }
  #context th { text-align: left; color: #546e7a; font-weight: 500; padding: 2px 10px 2px 0; white-space: nowrap; vertical-align: top; width: 1%; }
  #context td { font-family: ui-monospace, monospace; font-size: 11px; padding: 2px 0; word-break: break-all; }
  #timeline table { border-collapse: collapse; width: 100%; font-size: 12px; }
  #timeline th { text-align: left; color: #546e7a; font-weight: 500; border-bottom: 1px solid #d7dbe0; padding: 3px 6px; position: sticky; top: -8px; background: #fff; }
  #timeline td { padding: 3px 6px; border-bottom: 1px solid #f0f0f0; vertical-align: top; }
  #timeline tr.event td { color: #78909c; font-size: 11px; }
  #timeline tr.traffic td.name { font-family: ui-monospace, monospace; }
  .dir { white-space: nowrap; font-size: 11px; padding: 0 5px; border-radius: 3px; }
  .dir-bridge-client { background: #e3f2fd; color: #0d47a1; }
  .dir-client-bridge { background: #e8f5e9; color: #1b5e20; }
  .dir-phone-client { background: #fff3e0; color: #e65100; }
  .dir-client-phone { background: #f3e5f5; color: #4a148c; }
  .dir-machine { background: #eceff1; color: #546e7a; }
  .transition { font-family: ui-monospace, monospace; color: #bf360c; }
  .empty { color: #90a4ae; font-style: italic; }
  #timeline-tools { float: right; font-size: 11px; color: #607d8b; }
</style>
</head>
<body>
<header><h1>cti-conversation inspector</h1><span id="connection">connecting…</span></header>
<main>
  <section id="legs"><h2>Legs by target</h2><ul id="leg-list"></ul><p class="empty" id="no-legs">No legs yet.</p></section>
  <div id="detail">
    <section id="diagram-box"><h2 id="leg-title">Select a leg</h2><div id="diagram"></div><div id="call-model"></div></section>
    <div id="below">
    <section id="context"><h2>Context</h2><div id="context-body" class="empty">–</div></section>
    <section id="timeline"><span id="timeline-tools"><label><input type="checkbox" id="show-events" checked> machine events</label></span>
      <h2>Timeline</h2>
      <table><thead><tr><th>time</th><th>direction</th><th>message</th><th>detail</th><th>transition</th></tr></thead><tbody id="timeline-body"></tbody></table>
    </section>
    </div>
  </div>
</main>
<script src="/app.js"></script>
</body>
</html>
`;
