using TaskGrid.Errors;
using TaskGrid.Paging;

namespace TaskGrid.Grains.Tasks;

/// <summary>
/// Cursors of newest-first lists. Ids are UUIDv7, so "older than the last id seen" is a
/// stable keyset position: new rows never shift a page.
/// </summary>
internal static class PageCursor
{
    public static Guid? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }
        return Guid.TryParseExact(cursor, "N", out var id)
            ? id
            : throw new RequestValidationException("cursor", "is not a cursor this API returned; pass next_cursor from the previous page unchanged.");
    }

    public static int CheckLimit(int limit) =>
        limit is >= 1 and <= PageLimits.Max
            ? limit
            : throw new RequestValidationException("limit", $"must be between 1 and {PageLimits.Max}; got {limit}.");

    /// <summary>Builds a page from up to limit + 1 rows: the extra row only says that more exist.</summary>
    public static Page<T> ToPage<T>(List<T> rows, int limit, Func<T, Guid> idOf)
    {
        if (rows.Count <= limit)
        {
            return new Page<T>(rows, null);
        }
        rows.RemoveAt(rows.Count - 1);
        return new Page<T>(rows, idOf(rows[^1]).ToString("N"));
    }
}
