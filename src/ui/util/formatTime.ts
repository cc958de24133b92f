// A time of day as the user's locale writes it ("17:42", "5:42 PM"), for expiry times in messages.

export function formatTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}
