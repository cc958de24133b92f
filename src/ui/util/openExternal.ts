// Opening URLs in the user's browser without re-encoding them.
import * as vscode from 'vscode';

/**
 * Opens `url` exactly as given. A vscode.Uri decodes and re-encodes the query, which can turn
 * `%2B` into `+` (read as a space by the server) and break a sign-in or PKCE parameter. The
 * extension host also accepts the string itself and hands it to the opener unchanged, so the
 * string is passed whenever the Uri round trip would alter it.
 */
export function openExternalExact(url: string): Thenable<boolean> {
  const uri = vscode.Uri.parse(url, true);
  return vscode.env.openExternal(uri.toString() === url ? uri : (url as unknown as vscode.Uri));
}
