/** Each drawn node's top-left corner on the map. */
export interface Positions {
  [id: string]: { x: number; y: number };
}

/** What a layout reads of a node: its box and its site. Health and labels move nothing. */
export interface LayoutBox {
  id: string;
  site: 'primary' | 'secondary' | null;
  width: number;
  height: number;
}
