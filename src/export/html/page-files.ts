// Names of a thread's pages: `<stem>.html`, then `<stem>-p2.html`, `<stem>-p3.html`, …
// (a stem ends in hex or digits, so `-pN` never collides with another thread's stem).
export function threadPageFile(stem: string, page: number): string {
  return page === 1 ? `${stem}.html` : `${stem}-p${page}.html`;
}
