// The explorer reads the ledger through the public API only, from the page's own origin.
// Every value from the API is written with textContent, never parsed as HTML.

const SVG = 'http://www.w3.org/2000/svg';

/** GET a JSON document from this origin; a non-2xx answer is an error naming the path. */
async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (response.status === 401 || response.status === 403) {
    throw new Error('this server needs an API key to read (READ_REQUIRES_KEY), and the explorer page has none.');
  }
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
  return response.json();
}

/** Every record of a list, following links.next page by page. */
async function listAll(path) {
  const records = [];
  for (let next = path; next; ) {
    const page = await getJson(next);
    records.push(...page.data);
    next = page.links.next;
  }
  return records;
}

/** An element with text, attributes and children. */
function el(tag, { text, attrs = {}, className } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const child of children) if (child) node.append(child);
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

/** A link to where a record's source is published; the page itself never loads it. */
function sourceLink(source) {
  if (!source) return document.createTextNode('—');
  const label = source.title || source.id;
  if (!source.url) return el('span', { text: label });
  return el('a', { text: label, attrs: { href: source.url, rel: 'noopener noreferrer external', target: '_blank' } });
}

// ---------------------------------------------------------------- timeline

/** The month an event starts in, or its year when the source dates it no closer. */
function periodOf(event) {
  return event.date_precision === 'year' ? event.start_date.slice(0, 4) : event.start_date.slice(0, 7);
}

function periodLabel(period) {
  if (period.length === 4) return `${period} (month unknown)`;
  const [year, month] = period.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, 1)).toLocaleString('en', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

function dateRange(event) {
  const range = event.start_date === event.end_date ? event.start_date : `${event.start_date} to ${event.end_date}`;
  return `${range} (${event.date_precision})`;
}

function renderTimeline(events) {
  const byPeriod = new Map();
  for (const event of [...events].sort((a, b) => a.start_date.localeCompare(b.start_date) || a.id.localeCompare(b.id))) {
    const period = periodOf(event);
    if (!byPeriod.has(period)) byPeriod.set(period, []);
    byPeriod.get(period).push(event);
  }
  const periods = [...byPeriod.keys()].sort();
  const most = Math.max(1, ...[...byPeriod.values()].map((list) => list.length));

  const rowHeight = 28;
  const labelWidth = 190;
  const barSpace = 360;
  const chart = svg('svg', {
    viewBox: `0 0 ${labelWidth + barSpace + 40} ${periods.length * rowHeight + 8}`,
    role: 'img',
    'aria-labelledby': 'timeline-chart-title',
    class: 'timeline-chart',
  });
  chart.append(svg('title', { id: 'timeline-chart-title' }, `Events per month: ${periods.map((p) => `${periodLabel(p)}: ${byPeriod.get(p).length}`).join('; ')}`));
  periods.forEach((period, i) => {
    const count = byPeriod.get(period).length;
    const y = i * rowHeight + 4;
    const width = Math.max(4, (count / most) * barSpace);
    const bar = svg('g', { class: 'bar', 'data-period': period, 'data-count': count });
    bar.append(
      svg('text', { x: labelWidth - 8, y: y + rowHeight / 2 + 1, 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'bar-label' }, periodLabel(period)),
      svg('rect', { x: labelWidth, y: y + 3, width, height: rowHeight - 8, rx: 3, class: 'bar-rect' }),
      svg('text', { x: labelWidth + width + 6, y: y + rowHeight / 2 + 1, 'dominant-baseline': 'middle', class: 'bar-count' }, count),
    );
    chart.append(bar);
  });
  document.getElementById('timeline-chart').replaceChildren(chart);

  const list = el('ol', { className: 'timeline-list' });
  for (const period of periods) {
    const events = byPeriod.get(period);
    const items = events.map((event) =>
      el('li', { attrs: { 'data-event-id': event.id } }, [
        el('span', { text: event.title, className: 'event-title' }),
        el('span', { text: ` — ${event.event_type}${event.sub_event_type ? ` / ${event.sub_event_type}` : ''}; ${dateRange(event)}`, className: 'event-meta' }),
      ]),
    );
    list.append(
      el('li', { attrs: { 'data-period': period } }, [
        el('h3', { text: `${periodLabel(period)}: ${events.length} event${events.length === 1 ? '' : 's'}` }),
        el('ul', {}, items),
      ]),
    );
  }
  document.getElementById('timeline-list').replaceChildren(list);
}

// ---------------------------------------------------------------- casualties

/** A figure as the reporter gave it: exact, "at least", "up to" or a range. */
function figure(value) {
  if (!value) return 'not reported';
  const { min, max } = value;
  if (min !== null && max !== null) return min === max ? String(min) : `${min}–${max}`;
  if (min !== null) return `at least ${min}`;
  if (max !== null) return `up to ${max}`;
  return 'not reported';
}

function rangeText(range) {
  if (!range) return 'not reported';
  if (range.high === null) return `at least ${range.low}`;
  return range.low === range.high ? String(range.low) : `${range.low} to ${range.high}`;
}

function sideLabel(side) {
  const parts = [];
  if (side.actor) parts.push(side.actor.name);
  if (side.country) parts.push(side.actor ? `(${side.country})` : side.country);
  return parts.length ? parts.join(' ') : 'side not stated';
}

function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function figureCell(value, contested) {
  const text = figure(value);
  const cell = el('td');
  cell.append(contested && value ? el('mark', { text, className: 'contested-figure' }) : document.createTextNode(text));
  return cell;
}

function renderCasualtyGroup(group, conflict) {
  const reports = group.reports;
  const title = `${capitalize(group.category)}, ${sideLabel(group.side)}`;
  const wrapper = el('article', {
    className: group.contested ? 'casualty-group contested' : 'casualty-group',
    attrs: { 'data-category': group.category, 'data-contested': String(group.contested) },
  });
  const heading = el('h4', { text: title });
  if (group.contested) heading.append(' ', el('span', { text: 'Contested', className: 'badge' }));
  wrapper.append(heading);

  const table = el('table');
  table.append(
    el('caption', {
      text: `${title}, within ${conflict.title}: ${reports.length} report${reports.length === 1 ? '' : 's'}${group.contested ? ', figures contested' : ''}.`,
    }),
  );
  const headRow = el('tr', {}, [el('td')]);
  for (const report of reports) headRow.append(el('th', { text: report.reported_by?.name ?? 'Unattributed', attrs: { scope: 'col' } }));
  table.append(el('thead', {}, [headRow]));

  const rows = [
    ['Killed', (r) => figureCell(r.killed, group.contested)],
    ['Injured', (r) => figureCell(r.injured, group.contested)],
    ['Reported for', (r) => el('td', { text: r.event.title })],
    ['Period', (r) => el('td', { text: r.period_start ? `${r.period_start} to ${r.period_end ?? '?'}` : 'not stated' })],
    ['Source passage', (r) => el('td', {}, [r.sources[0] ? el('q', { text: r.sources[0].excerpt }) : null])],
    ['Source', (r) => el('td', {}, [sourceLink(r.sources[0])])],
  ];
  const body = el('tbody');
  for (const [label, cell] of rows) {
    const row = el('tr', {}, [el('th', { text: label, attrs: { scope: 'row' } })]);
    for (const report of reports) row.append(cell(report));
    body.append(row);
  }
  table.append(body);
  wrapper.append(el('div', { className: 'table-scroll' }, [table]));

  if (reports.length > 1) {
    wrapper.append(
      el('p', {
        className: 'range',
        text: `Range across reporters, not a total: killed ${rangeText(group.killed)}; injured ${rangeText(group.injured)}.`,
      }),
    );
  }
  return wrapper;
}

async function renderCasualties(events) {
  const ids = new Set(events.map((e) => e.id));
  // The top of each tree: its casualty summary covers every sub-event below it.
  const roots = events.filter((e) => !e.parent_id || !ids.has(e.parent_id));
  const container = document.getElementById('casualty-groups');
  const sections = [];
  for (const root of roots) {
    const summary = await getJson(`/v1/events/${encodeURIComponent(root.id)}/casualties`);
    if (summary.groups.length === 0) continue;
    const section = el('section', { className: 'casualty-event', attrs: { 'data-event-id': root.id } }, [
      el('h3', { text: summary.event.title }),
    ]);
    const groups = [...summary.groups].sort((a, b) => Number(b.contested) - Number(a.contested));
    for (const group of groups) section.append(renderCasualtyGroup(group, summary.event));
    sections.push(section);
  }
  container.replaceChildren(...(sections.length ? sections : [el('p', { text: 'No casualty figures are recorded.' })]));
}

// ---------------------------------------------------------------- statements

function actorNames(actors) {
  return actors.map((a) => a.name).join(', ');
}

function renderStatements(statements) {
  const named = statements
    .filter((s) => s.targets.length > 0)
    .sort((a, b) => (a.said_on ?? '').localeCompare(b.said_on ?? '') || a.id.localeCompare(b.id));
  const body = document.querySelector('#statements-table tbody');
  const rows = named.map((s) => {
    const speaker = el('td', { text: s.speaker?.name ?? 'Unknown speaker' });
    if (s.on_behalf_of) speaker.append(el('span', { text: ` for ${s.on_behalf_of.name}`, className: 'event-meta' }));
    if (s.attribution !== 'stated') speaker.append(el('span', { text: ` (attribution ${s.attribution})`, className: 'event-meta' }));
    const quote = el('td');
    // The speaker's own words where the source quotes them, else the source's verbatim
    // passage reporting the statement.
    if (s.quote) quote.append(el('q', { text: s.quote, className: 'quote' }));
    else if (s.sources[0]) quote.append(el('q', { text: s.sources[0].excerpt, className: 'passage' }), el('span', { text: ' (source passage; not quoted directly)', className: 'event-meta' }));
    else quote.append(el('span', { text: s.summary }));
    return el('tr', { attrs: { 'data-statement-id': s.id, 'data-kind': s.kind } }, [
      speaker,
      el('td', { text: actorNames(s.targets) }),
      el('td', { text: s.kind }),
      quote,
      el('td', {}, [sourceLink(s.sources[0])]),
    ]);
  });
  if (rows.length === 0) rows.push(el('tr', {}, [el('td', { text: 'No statements name a target.', attrs: { colspan: '5' } })]));
  body.replaceChildren(...rows);
}

// ---------------------------------------------------------------- start

async function main() {
  const status = document.getElementById('status');
  try {
    const [events, statements] = await Promise.all([listAll('/v1/events?limit=1000'), listAll('/v1/statements?limit=1000')]);
    renderTimeline(events);
    renderStatements(statements);
    await renderCasualties(events);
    status.textContent = `${events.length} events and ${statements.length} statements loaded.`;
    document.body.dataset.ready = 'true';
  } catch (error) {
    status.setAttribute('role', 'alert');
    status.textContent = `The ledger could not be loaded: ${error.message}`;
    document.body.dataset.ready = 'error';
  }
}

main();
