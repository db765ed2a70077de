/**
 * Deletes tenants a test run created — topics, then namespaces, then the tenant — so a long-lived
 * local broker does not accumulate every run's topics. Topics go one by one because brokers refuse
 * forced namespace deletion by default. Best effort: what is already gone is fine. Plain admin REST
 * calls: this package stays independent of the client it helps to test.
 */
export async function deleteTenants(adminUrl: string, tenants: readonly string[]): Promise<void> {
  const base = adminUrl.replace(/\/$/, '');
  const get = async (path: string): Promise<string[]> => {
    const response = await fetch(`${base}${path}`).catch(() => undefined);
    return response?.ok ? ((await response.json()) as string[]) : [];
  };
  const remove = (path: string): Promise<Response | undefined> =>
    fetch(`${base}${path}`, { method: 'DELETE' }).catch(() => undefined);
  // persistent://t/ns/name → persistent/t/ns/name (the local name encoded)
  const rest = (topic: string): string => {
    const [domain, name] = topic.split('://') as [string, string];
    const [t, n, ...local] = name.split('/');
    return `${domain}/${t}/${n}/${encodeURIComponent(local.join('/'))}`;
  };
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
