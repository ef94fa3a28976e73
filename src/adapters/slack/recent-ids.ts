/**
 * Remembers the last `capacity` ids (envelope ids, trigger ids) so a redelivered
 * Socket Mode envelope or a repeated request is answered once; memory stays bounded.
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 5000) {}

  /** Records the ids; true when none of them was seen before. */
  firstTime(...ids: Array<string | undefined>): boolean {
    const present = ids.filter((id): id is string => Boolean(id));
    const seen = present.some((id) => this.ids.has(id));
    for (const id of present) {
      this.ids.delete(id);
      this.ids.add(id);
    }
    while (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value as string;
      this.ids.delete(oldest);
    }
    return !seen;
  }

  get size(): number {
    return this.ids.size;
  }
}
