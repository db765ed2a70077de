/** FNV-1a over UTF-8, folded into Pulsar's Key_Shared hash range [0, 65536). */
export function keyHashSlot(key: string): number {
  let hash = 0x811c9dc5;
  const bytes = Buffer.from(key, 'utf8');
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % 65536;
}

/** Consumer index for a slot when the range is split evenly among `consumers` (auto-split mode). */
export function consumerForSlot(slot: number, consumers: number): number {
  return Math.min(consumers - 1, Math.floor((slot * consumers) / 65536));
}
