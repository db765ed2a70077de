/**
 * Deletes tenants a test run created — topics, then namespaces, then the tenant — so a long-lived
 * local broker does not accumulate every run's topics. Topics go one by one because brokers refuse
 * forced namespace deletion by default. Best effort: what is already gone is fine. Plain admin REST
 * calls: this package stays independent of the client it helps to test.
 */
/** persistent://t/ns/name → persistent/t/ns/name (the local name encoded), as the admin paths take it. */
function rest(topic: string): string {
  const [domain, name] = topic.split('://') as [string, string];
  const [t, n, ...local] = name.split('/');
  return `${domain}/${t}/${n}/${encodeURIComponent(local.join('/'))}`;
}

export async function deleteTenants(adminUrl: string, tenants: readonly string[]): Promise<void> {
  const base = adminUrl.replace(/\/$/, '');
  const get = async (path: string): Promise<string[]> => {
    const response = await fetch(`${base}${path}`).catch(() => undefined);
    return response?.ok ? ((await response.json()) as string[]) : [];
  };
  const remove = (path: string): Promise<Response | undefined> =>
    fetch(`${base}${path}`, { method: 'DELETE' }).catch(() => undefined);
  for (const tenant of tenants) {
    for (const namespace of await get(`/admin/v2/namespaces/${encodeURIComponent(tenant)}`)) {
      // A producer or consumer closing just now can make a topic deletion fail once: list and retry.
      for (let attempt = 0; attempt < 5; attempt++) {
        for (const topic of await get(`/admin/v2/persistent/${namespace}/partitioned`)) {
          await remove(`/admin/v2/${rest(topic)}/partitions?force=true`);
        }
        for (const topic of await get(`/admin/v2/namespaces/${namespace}/topics`)) {
          if (!/-partition-\d+$/.test(topic)) await remove(`/admin/v2/${rest(topic)}?force=true`);
        }
        const deleted = await remove(`/admin/v2/namespaces/${namespace}`);
        if (!deleted || deleted.ok || deleted.status === 404) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    await remove(`/admin/v2/tenants/${encodeURIComponent(tenant)}`);
  }
}

/** Deletes single topics a test created in a namespace it does not own (e.g. `public/default`). */
export async function deleteTopics(adminUrl: string, topics: readonly string[]): Promise<void> {
  const base = adminUrl.replace(/\/$/, '');
  for (const topic of topics) {
    await fetch(`${base}/admin/v2/${rest(topic)}?force=true`, { method: 'DELETE' }).catch(() => undefined);
  }
}

/**
 * Compacts a topic now and waits until the broker reports the compaction done, so a test can read the
 * compacted view the broker would otherwise produce on its own, some time later.
 */
export async function compactTopic(adminUrl: string, topic: string, timeoutMs = 30_000): Promise<void> {
  const url = `${adminUrl.replace(/\/$/, '')}/admin/v2/${rest(topic)}/compaction`;
  const started = await fetch(url, { method: 'PUT' });
  if (!started.ok)
    throw new Error(`compaction of ${topic} refused: ${started.status} ${await started.text()}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, lastError } = (await (await fetch(url)).json()) as { status: string; lastError?: string };
    if (status === 'SUCCESS') return;
    if (status === 'ERROR')
      throw new Error(`compaction of ${topic} failed: ${lastError ?? 'no reason given'}`);
    if (Date.now() > deadline)
      throw new Error(`compaction of ${topic} still ${status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
