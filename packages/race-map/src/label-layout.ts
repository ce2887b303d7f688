/** A racer's name label to place: the marker's screen centre, the text's width, its rank. */
export interface LabelRequest {
  readonly sx: number;
  readonly sy: number;
  /** Width of the text (px). */
  readonly width: number;
  /** Lower first: the leader's label gets the best place, the last one's is dropped first. */
  readonly rank: number;
}

/** Where a label goes (its box, px) and whether it was moved off the marker's line. */
export interface LabelBox {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly moved: boolean;
}

/** Height of a label box (px). */
export const LABEL_HEIGHT = 18;
const PAD = 3;
const GAP = 5;

/** The places tried for a label, best first: beside the marker, then above and below, then left. */
function candidates(request: LabelRequest, radius: number): LabelBox[] {
  const w = request.width + PAD * 2;
  const h = LABEL_HEIGHT;
  const right = request.sx + radius + GAP - PAD;
  const left = request.sx - radius - GAP - w + PAD;
  const rows = [0, -(h + 2), h + 2, -2 * (h + 2), 2 * (h + 2)];
  const out: LabelBox[] = [];
  for (const x of [right, left])
    for (const dy of rows) out.push({ x, y: request.sy - h / 2 + dy, w, h, moved: dy !== 0 });
  return out;
}

function overlaps(a: LabelBox, b: LabelBox): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * Places racers' name labels so none covers another: by rank, each label takes the first free
 * place beside its marker (right, above or below it, then left); a label with no free place is
 * left out (`null`), the lowest-ranked first. Returns one entry per request, in request order.
 *
 * @param radius - the marker's radius (px)
 */
export function placeLabels(
  requests: readonly LabelRequest[],
  radius: number,
): (LabelBox | null)[] {
  const order = requests.map((_, i) => i).sort((a, b) => requests[a]!.rank - requests[b]!.rank);
  const placed: LabelBox[] = [];
  const out: (LabelBox | null)[] = requests.map(() => null);
  for (const i of order) {
    const box = candidates(requests[i]!, radius).find((c) => !placed.some((p) => overlaps(c, p)));
    if (!box) continue;
    placed.push(box);
    out[i] = box;
  }
  return out;
}
