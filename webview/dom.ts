/** The DOM helper shared by the panel, its summary and the side view (theme colours: cssVar.ts). */

export function element<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`missing #${id}`);
  return el as T;
}
