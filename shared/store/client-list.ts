/** Where list-clients writes the run's clients, one `{"client_id": ...}` per line, for a Distributed Map. */
export function clientListKey(runId: string): string {
  return `runs/${runId}/clients.jsonl`;
}

export function clientListJsonl(clients: readonly { client_id: string }[]): string {
  return clients.map((c) => JSON.stringify(c)).join("\n") + (clients.length > 0 ? "\n" : "");
}
