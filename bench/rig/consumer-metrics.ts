/*
 * What a service's consumers did, from its own `/metrics` (open on the main port outside production): per consumer,
 * messages settled, transactions, messages per transaction and the mean time to settle a message. Read at two moments
 * and print the difference: batch sizes and settle times say whether a consumer falls behind on round trips (small
 * batches, short transactions) or on each transaction's cost.
 */
type Histogram = Map<string, { sum: number; count: number }>;

export interface ConsumerMetrics {
  readonly perTransaction: Histogram;
  readonly settleSeconds: Histogram;
}

function histogram(text: string, name: string): Histogram {
  const out: Histogram = new Map();
  // Other labels (the registry's default `service`) may come before or after `consumer`.
  const line = new RegExp(`^${name}_(sum|count)\\{([^}]*)\\} ([0-9.e+-]+)$`, 'gm');
  for (const m of text.matchAll(line)) {
    const consumer = /(?:^|,)consumer="([^"]*)"/.exec(m[2])?.[1];
    if (consumer === undefined) continue;
    const entry = out.get(consumer) ?? { sum: 0, count: 0 };
    entry[m[1] as 'sum' | 'count'] = Number(m[3]);
    out.set(consumer, entry);
  }
  return out;
}

export async function consumerMetrics(port: number): Promise<ConsumerMetrics> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    return { perTransaction: histogram(text, 'pm_consumer_transaction_events'), settleSeconds: histogram(text, 'pm_consumer_handle_seconds') };
  } catch {
    return { perTransaction: new Map(), settleSeconds: new Map() };
  }
}

export function printConsumerMetrics(service: string, before: ConsumerMetrics, after: ConsumerMetrics): void {
  console.log(`\n${service}, its consumers meanwhile (from its /metrics)`);
  console.log('| consumer | messages | transactions | messages per transaction | mean time to settle a message |\n| --- | ---: | ---: | ---: | ---: |');
  for (const [consumer, a] of after.perTransaction) {
    const b = before.perTransaction.get(consumer) ?? { sum: 0, count: 0 };
    const messages = a.sum - b.sum;
    const transactions = a.count - b.count;
    if (transactions <= 0) continue;
    const s = after.settleSeconds.get(consumer);
    const sb = before.settleSeconds.get(consumer) ?? { sum: 0, count: 0 };
    const settled = s ? s.count - sb.count : 0;
    const mean = settled > 0 && s ? `${(((s.sum - sb.sum) / settled) * 1000).toFixed(0)} ms` : '–';
    console.log(`| ${consumer} | ${messages} | ${transactions} | ${(messages / transactions).toFixed(1)} | ${mean} |`);
  }
}
