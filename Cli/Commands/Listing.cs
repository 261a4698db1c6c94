using TaskGrid.Paging;

namespace TaskGrid.Cli.Commands;

/// <summary>
/// Gathers a listing as one <see cref="Page{T}"/> — the API's own list shape, so <c>-o json</c>
/// parses as what the gateway answers: up to <c>--limit</c> items with the cursor that continues
/// after them, or with <c>--all</c> every item (through the SDK's <see cref="IAsyncEnumerable{T}"/>)
/// and no cursor.
/// </summary>
internal static class Listing
{
    public static async Task<Page<T>> CollectAsync<T>(
        bool all,
        int limit,
        string? cursor,
        Func<int, string?, CancellationToken, Task<Page<T>>> fetchPage,
        Func<CancellationToken, IAsyncEnumerable<T>> everything,
        CancellationToken cancellationToken)
    {
        var items = new List<T>();
        if (all)
        {
            await foreach (var item in everything(cancellationToken).WithCancellation(cancellationToken))
            {
                items.Add(item);
            }
            return new Page<T>(items, null);
        }
        var next = cursor;
        do
        {
            // Each page asks for exactly what is still wanted, so the last page's cursor
            // continues right after the last item shown.
            var page = await fetchPage(Math.Min(limit - items.Count, PageLimits.Max), next, cancellationToken);
            items.AddRange(page.Items);
            next = page.NextCursor;
        }
        while (next is not null && items.Count < limit);
        return new Page<T>(items, next);
    }
}
