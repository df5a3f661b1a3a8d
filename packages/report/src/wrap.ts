/** Replace anything outside printable ASCII (e-mail to a kernel list must be plain ASCII). */
export function ascii(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, "?");
}

/**
 * Wrap a line at `width` columns, breaking at spaces where possible (else hard), continuing with
 * `indent` spaces on the following lines.
 */
export function wrapLine(line: string, width: number, indent = 4): string[] {
  if (line.length <= width) return [line];
  const out: string[] = [];
  let rest = line;
  let first = true;
  while (rest.length > 0) {
    const pad = first ? "" : " ".repeat(indent);
    const room = width - pad.length;
    if (rest.length <= room) {
      out.push(pad + rest);
      break;
    }
    let cut = rest.lastIndexOf(" ", room);
    if (cut <= room / 3) cut = room;
    out.push(pad + rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
    first = false;
  }
  return out;
}
