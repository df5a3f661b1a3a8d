/** The HTML report's stylesheet, embedded in the page. */
export const STYLE = `
:root { --ok: #e6f4ea; --ok-ink: #1e6b34; --bad: #fde7e9; --bad-ink: #a1131f; --na: #f1f3f4; --err: #fff4ce; --unk: #fff1e0; --unk-ink: #8a4600; --vac: #f3e8ff; --vac-ink: #6b2fa3; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2328; background: #fff; }
header { padding: 16px 24px 8px; border-bottom: 1px solid var(--line); }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 20px 0 8px; }
h3 { font-size: 15px; margin: 12px 0 6px; }
main { padding: 8px 24px 40px; }
.filters { display: flex; gap: 16px; flex-wrap: wrap; margin: 8px 0; }
.filters label { display: flex; gap: 6px; align-items: center; }
select { font: inherit; padding: 2px 4px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 3px 6px; text-align: left; white-space: nowrap; }
th { background: #f6f8fa; }
td.holds { background: var(--ok); color: var(--ok-ink); }
td.violated { background: var(--bad); color: var(--bad-ink); font-weight: 600; cursor: pointer; }
td.violated:hover { outline: 2px solid var(--bad-ink); }
td.not-applicable { background: var(--na); color: #6e7781; }
td.error { background: var(--err); }
td.breaks { background: var(--unk); color: var(--unk-ink); }
.cell.unknown, li.unknown b { background: var(--unk); color: var(--unk-ink); font-weight: 600; }
.cell.vacuous, li.vacuous b { background: var(--vac); color: var(--vac-ink); font-weight: 600; }
span.cell { padding: 0 4px; border-radius: 3px; }
span.cell.holds { background: var(--ok); color: var(--ok-ink); }
.run { color: #57606a; font-size: 12px; margin: 4px 0; }
.assumptions { display: grid; grid-template-columns: max-content 1fr; gap: 0 12px; font-size: 12px; color: #57606a; margin: 4px 0; }
.assumptions dt { font-weight: 600; }
.assumptions dd { margin: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.costs td, .costs th { padding: 2px 8px; }
.legend { color: #57606a; font-size: 12px; }
.timeline { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin: 12px 0; }
.tl-scroll { overflow-x: auto; }
.tl-grid { display: grid; gap: 1px; background: var(--line); border: 1px solid var(--line); width: max-content; }
.tl-label { background: #f6f8fa; padding: 2px 6px; font-size: 12px; font-weight: 600; position: sticky; left: 0; z-index: 1; }
.tl-label.value { font-weight: 500; color: #57606a; }
.tl-cell { background: #fff; min-height: 26px; display: flex; align-items: center; justify-content: center; font-size: 10px; }
.tl-cell.in-guest { background: #eef4ff; }
.tl-cell.value { color: #57606a; font-family: ui-monospace, monospace; overflow: hidden; white-space: nowrap; }
.tl-cell.value.changed { color: #1f2328; font-weight: 600; }
.tl-cell.stale { background: var(--bad); color: var(--bad-ink); }
.tl-cell.list { flex-direction: column; align-items: flex-start; justify-content: center; padding: 1px 2px; font-size: 9px; }
.tl-cell.list .entry { white-space: nowrap; }
.tl-cell.list .entry.stale { background: var(--bad); color: var(--bad-ink); font-weight: 700; }
.tl-cell.selected { box-shadow: inset 0 0 0 2px #0969da; }
.marker { border: 0; border-radius: 10px; min-width: 22px; height: 20px; font-size: 10px; cursor: pointer; color: #fff; padding: 0 3px; }
.marker.lane-kvm { background: #0969da; }
.marker.lane-host { background: #8250df; }
.marker.lane-nmi { background: #bf8700; }
.marker.lane-hardware { background: #57606a; }
.marker.lane-guest { background: #1a7f37; }
.marker.went-wrong { background: var(--bad-ink); box-shadow: 0 0 0 3px #ff818266; }
.marker.cause { outline: 3px solid var(--bad-ink); outline-offset: 2px; }
.tl-detail { margin-top: 8px; }
.tl-detail pre { background: #f6f8fa; padding: 8px; overflow-x: auto; font-size: 12px; margin: 4px 0; }
.tl-symptom { font-weight: 600; color: var(--bad-ink); }
.tl-symptom.none { color: var(--ok-ink); }
.tl-hint, .tl-repro { color: #57606a; font-size: 12px; }
`;
