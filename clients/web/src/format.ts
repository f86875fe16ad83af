/** Money on the API is in minor units (fen for CNY). */
export function formatMoney(money: { amount: number; currency: string }): string {
  return new Intl.NumberFormat('zh-CN', { style: 'currency', currency: money.currency }).format(
    money.amount / 100,
  );
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** `m:ss` for a countdown. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
