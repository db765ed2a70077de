/** FNV-1a over UTF-8, folded into Pulsar's Key_Shared hash range [0, 65536). */
export function keyHashSlot(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    // ASCII is its own UTF-8: hash it in place instead of allocating a Buffer per key.
    if (code >= 0x80) return utf8HashSlot(key);
    hash ^= code;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % 65536;
}

function utf8HashSlot(key: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % 65536;
}

/** Consumer index for a slot when the range is split evenly among `consumers` (auto-split mode). */
export function consumerForSlot(slot: number, consumers: number): number {
  return Math.min(consumers - 1, Math.floor((slot * consumers) / 65536));
}
