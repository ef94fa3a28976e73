export interface LooseButton {
  action_id: string;
  value: string;
  text: { text: string };
}

/** Just enough of a Block Kit block to find its text and buttons. */
export interface LooseBlock {
  type: string;
  text?: { text: string };
  accessory?: LooseButton;
  elements?: LooseButton[];
}

export function buttonsOf(block: LooseBlock): LooseButton[] {
  if (block.type === 'actions') return block.elements ?? [];
  return block.accessory ? [block.accessory] : [];
}
