/**
 * The inspector page's script, plain browser JavaScript served as /app.js. It is kept as text (not
 * compiled TypeScript) so the page works from the package with no bundler.
 */
export const PAGE_SCRIPT = String.raw`'use strict';
(function () {
  var legs = new Map();
  var selected = null;
  var detail = null;
  var svgKey = null;
  var socket = null;
  var $ = function (id) { return document.getElementById(id); };

  function connect() {
    socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    socket.onopen = function () {
      $('connection').textContent = 'live';
      if (selected) send({ type: 'select', legId: selected });
    };
    socket.onclose = function () { $('connection').textContent = 'disconnected, retrying…'; setTimeout(connect, 1000); };
    socket.onmessage = function (message) { handle(JSON.parse(message.data)); };
  }

  function send(message) { if (socket && socket.readyState === 1) socket.send(JSON.stringify(message)); }

  function handle(update) {
    switch (update.type) {
      case 'legs':
        legs = new Map(update.legs.map(function (leg) { return [leg.legId, leg]; }));
        renderLegs();
        // On first load, with no leg named in the address, watch the live leg.
        if (!selected) {
          var live = Array.from(legs.values()).filter(function (leg) { return leg.status === 'live'; })[0];
          if (live) select(live.legId);
        }
        break;
      case 'leg':
        legs.set(update.leg.legId, update.leg);
        renderLegs();
        if (detail && detail.legId === update.leg.legId) { Object.assign(detail, update.leg); renderTitle(); renderContext(); }
        break;
      case 'forget':
        legs.delete(update.legId);
        renderLegs();
        break;
      case 'detail':
        if (update.legId !== selected) return;
        detail = update.detail;
        renderDetail();
        break;
      case 'entry':
        if (!detail || detail.legId !== update.legId) return;
        upsertEntry(update.entry);
        renderTimeline();
        if (update.entry.transition) renderTaken(update.entry.transition);
        break;
      case 'state':
        if (!detail || detail.legId !== update.legId) return;
        detail.value = update.value; detail.active = update.active; detail.context = update.context;
        detail.leaves = update.leaves; detail.call = update.call;
        renderHighlight(); renderContext();
        break;
    }
  }

  function upsertEntry(entry) {
    var timeline = detail.timeline;
    for (var i = timeline.length - 1; i >= 0; i--) {
      if (timeline[i].seq === entry.seq) { timeline[i] = entry; return; }
      if (timeline[i].seq < entry.seq) break;
    }
    timeline.push(entry);
    if (timeline.length > 2000) timeline.splice(0, timeline.length - 2000);
  }

  function select(legId) {
    selected = legId;
    detail = null;
    location.hash = 'leg=' + encodeURIComponent(legId);
    renderLegs();
    send({ type: 'select', legId: legId });
  }

  function label(leg) { return leg.target || leg.legId; }

  function renderLegs() {
    var list = $('leg-list');
    list.textContent = '';
    var sorted = Array.from(legs.values()).sort(function (a, b) {
      return (a.status === b.status ? 0 : a.status === 'live' ? -1 : 1) || label(a).localeCompare(label(b));
    });
    sorted.forEach(function (leg) {
      var item = document.createElement('li');
      item.dataset.leg = leg.legId;
      item.className = leg.status + (leg.legId === selected ? ' selected' : '');
      var target = document.createElement('div');
      target.className = 'leg-target';
      target.textContent = label(leg);
      var badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = leg.status;
      target.appendChild(badge);
      var state = document.createElement('div');
      state.className = 'leg-state';
      state.textContent = 'leg ' + leg.legId + ' · ' + ((leg.call || []).concat(leg.leaves).join(', ') || '–');
      item.appendChild(target); item.appendChild(state);
      item.onclick = function () { select(leg.legId); };
      list.appendChild(item);
    });
    $('no-legs').style.display = legs.size ? 'none' : '';
  }

  function renderDetail() {
    renderTitle();
    if (!detail) { $('diagram').textContent = ''; svgKey = null; renderContext(); renderTimeline(); return; }
    if (detail.machineKey && detail.machineKey !== svgKey) {
      var key = detail.machineKey;
      svgKey = key;
      fetch('/api/machines/' + encodeURIComponent(key) + '.svg').then(function (response) { return response.text(); }).then(function (svg) {
        if (svgKey !== key) return;
        $('diagram').innerHTML = svg;
        renderHighlight();
      });
    }
    renderHighlight(); renderContext(); renderTimeline();
  }

  function renderTitle() {
    $('leg-title').textContent = detail ? label(detail) + ' (' + detail.status + ')' : (selected ? 'Leg ' + selected + ' is no longer kept' : 'Select a leg');
  }

  var CALL_STATES = ['RINGING', 'DIALING', 'TALKING', 'HELD', 'RELEASED'];
  // The conversation machine keeps the call state in its context (model.state), not in states:
  // this strip shows it beside the statechart, highlighted the same way.
  function renderCallModel() {
    var box = $('call-model');
    box.textContent = '';
    var context = detail && detail.context;
    if (!context || CALL_STATES.indexOf(context['call state']) < 0) return;
    var caption = document.createElement('span');
    caption.className = 'caption';
    caption.textContent = 'call (context.model):';
    box.appendChild(caption);
    CALL_STATES.forEach(function (name) {
      var state = document.createElement('span');
      state.className = 'call-state' + (context['call state'] === name ? ' active' : '');
      state.dataset.state = name;
      state.textContent = name;
      box.appendChild(state);
    });
    var mute = document.createElement('span');
    mute.className = 'mute-flag' + (context.muted ? ' on' : '');
    mute.textContent = context.muted ? 'muted' : 'not muted';
    box.appendChild(mute);
  }

  function renderHighlight() {
    renderCallModel();
    var svg = $('diagram').querySelector('svg');
    if (!svg || !detail) return;
    svg.querySelectorAll('.active').forEach(function (element) { element.classList.remove('active'); });
    (detail.active || []).forEach(function (path) {
      if (path === '') return;
      var element = document.getElementById('state:' + path);
      if (element) element.classList.add('active');
    });
  }

  // The edge just taken: every drawn edge from a state left to a state entered. Graphviz titles
  // each edge "<from node>-><to node>", the nodes named s:<path> (or init:<path> for a cluster).
  function renderTaken(transition) {
    var svg = $('diagram').querySelector('svg');
    if (!svg) return;
    var path = function (node) { return node.replace(/^(s|init):/, ''); };
    svg.querySelectorAll('g.edge').forEach(function (edge) {
      var title = edge.querySelector('title');
      var ends = title ? title.textContent.split('->') : [];
      var taken = ends.length === 2 && (transition.from || []).indexOf(path(ends[0])) >= 0 && (transition.to || []).indexOf(path(ends[1])) >= 0;
      edge.classList.toggle('taken', taken);
    });
  }

  var PREFERRED = [/state/i, /mute/i, /part/i, /queue/i, /flight|operation|pending/i];
  function rank(key) {
    for (var i = 0; i < PREFERRED.length; i++) if (PREFERRED[i].test(key)) return i;
    return PREFERRED.length;
  }

  function renderContext() {
    var body = $('context-body');
    body.textContent = '';
    if (!detail) { body.className = 'empty'; body.textContent = '–'; return; }
    body.className = '';
    var table = document.createElement('table');
    addRow(table, 'active states', (detail.call || []).concat(detail.leaves || []).join(', ') || '–');
    var context = detail.context && typeof detail.context === 'object' ? detail.context : {};
    Object.keys(context).sort(function (a, b) { return rank(a) - rank(b); }).forEach(function (key) {
      var text = JSON.stringify(context[key]);
      addRow(table, key, text === undefined ? '–' : text.length > 400 ? text.slice(0, 400) + '…' : text);
    });
    body.appendChild(table);
  }

  function addRow(table, key, value) {
    var row = table.insertRow();
    var head = document.createElement('th'); head.textContent = key; row.appendChild(head);
    var cell = row.insertCell(); cell.textContent = value;
    row.dataset.key = key;
  }

  function transitionText(transition) {
    if (!transition) return '';
    return (transition.from.join(', ') || '∅') + ' → ' + (transition.to.join(', ') || '∅');
  }

  function renderTimeline() {
    var body = $('timeline-body');
    body.textContent = '';
    if (!detail) return;
    var showEvents = $('show-events').checked;
    var causedByTurn = new Map();
    detail.timeline.forEach(function (entry) {
      if (entry.kind === 'event' && entry.transition) {
        var list = causedByTurn.get(entry.turn) || [];
        list.push(transitionText(entry.transition));
        causedByTurn.set(entry.turn, list);
      }
    });
    detail.timeline.forEach(function (entry) {
      if (entry.kind === 'event' && !showEvents) return;
      var row = body.insertRow();
      row.className = entry.kind;
      row.dataset.kind = entry.kind;
      row.dataset.name = entry.name;
      if (entry.direction) row.dataset.direction = entry.direction;
      var time = new Date(entry.at);
      row.insertCell().textContent = time.toLocaleTimeString([], { hour12: false }) + '.' + String(time.getMilliseconds()).padStart(3, '0');
      var direction = row.insertCell();
      var tag = document.createElement('span');
      var dir = entry.direction || 'machine';
      tag.className = 'dir dir-' + dir.replace('->', '-');
      tag.textContent = entry.direction ? entry.direction.replace('->', ' → ') : 'machine event';
      direction.appendChild(tag);
      var name = row.insertCell(); name.className = 'name'; name.textContent = entry.name;
      row.insertCell().textContent = entry.detail || '';
      var transition = row.insertCell();
      transition.className = 'transition';
      var inbound = entry.direction === 'bridge->client' || entry.direction === 'phone->client';
      transition.textContent = entry.kind === 'event' ? transitionText(entry.transition)
        : inbound ? (causedByTurn.get(entry.turn) || []).join('; ') : '';
    });
    var box = $('timeline');
    box.scrollTop = box.scrollHeight;
  }

  $('show-events').onchange = renderTimeline;
  var fromHash = /^#leg=(.+)$/.exec(location.hash);
  if (fromHash) selected = decodeURIComponent(fromHash[1]);
  connect();
})();
`;
