/** "$0.0123" for small sums, "$1.23" for larger ones; "unknown" without a price. */
export function formatCost(costUsd: number | undefined): string {
  if (costUsd === undefined) return "cost unknown (no price for this model; set `agent.price`)";
  return costUsd >= 1 ? `$${costUsd.toFixed(2)}` : `$${costUsd.toFixed(4)}`;
}
