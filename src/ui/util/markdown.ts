// Names from the portal or the config file shown in the editor's Markdown and icon-aware labels,
// escaped so they read as written. No `vscode` import: unit-tested.

/** `$(name)` or `$(name~spin)`, as the editor finds icons in labels and Markdown. */
const ICON = /\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\)/g;

/**
 * For labels that render `$(icon)` (status-bar text, quick-pick labels): `\$(x)` shows as the
 * text `$(x)`.
 */
export function escapeIcons(s: string): string {
  return s.replace(ICON, (m) => `\\${m}`);
}

/**
 * For a MarkdownString built with supportThemeIcons (every one this extension builds): the
 * Markdown specials (emphasis, links, headings, lists, tables, HTML, entities) and icons. The
 * icon's backslash is itself escaped, so the renderer's own icon pass still sees it.
 */
export function escapeMarkdown(s: string): string {
  return escapeIcons(s).replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => `\\${c}`);
}
