using System.Text.Json.Nodes;

namespace TaskGrid.Tests.Functional.Security;

/// <summary>
/// What a successful call of each writing route wrote, read from its answer: rows added (with
/// their ids when the answer names them) and row versions moved (every change of a task, grid,
/// user or key bumps its <c>version</c> by one). Summed over the answers, it must equal what
/// the database gained, so no refused request wrote anything. A writing route that succeeds
/// but has no entry here fails the hostile suite with its name: say what it writes.
/// </summary>
public static class WrittenRows
{
    private static readonly Dictionary<string, Func<JsonObject, IEnumerable<Write>>> s_byRoute = new(StringComparer.Ordinal)
    {
        ["POST /v1/tasks"] = task => [Write.Row("tasks", task["id"])],
        ["POST /v1/grids"] = grid => [Write.Row("grids", grid["id"]), new Write("tasks", null, (int)grid["total"]!, 0)],
        ["POST /v1/grids/{id}/tasks"] = added => ((JsonArray)added["task_ids"]!).Select(id => Write.Row("tasks", id)),
        ["POST /v1/users"] = user => [Write.Row("users", user["id"])],
        ["POST /v1/users/{id}/api-keys"] = key => [Write.Row("api_keys", key["id"])],
        ["PATCH /v1/users/{id}"] = _ => [Write.Change("users", 1)],
        ["DELETE /v1/api-keys/{id}"] = _ => [Write.Change("api_keys", 1)],
        ["POST /v1/tasks/{id}/cancel"] = _ => [Write.Change("tasks", 1)],
        ["POST /v1/tasks/{id}/retry"] = _ => [Write.Change("tasks", 1)],
        ["POST /v1/grids/{id}/pause"] = _ => [Write.Change("grids", 1)],
        ["POST /v1/grids/{id}/resume"] = _ => [Write.Change("grids", 1)],
        ["POST /v1/grids/{id}/cancel"] = change => [Write.Change("grids", 1), Write.Change("tasks", (int)change["tasks_affected"]!)],
        ["POST /v1/grids/{id}/retry-failed"] = change => [Write.Change("tasks", (int)change["tasks_affected"]!)],
        // Artifacts carry no version, so they are not among the counted tables; DatabaseSnapshot
        // covers their rows in the isolation suite.
        ["POST /v1/artifacts"] = _ => [],
        ["PATCH /v1/artifacts/{id}"] = _ => [],
        ["DELETE /v1/artifacts/{id}"] = _ => [],
    };

    private static readonly string[] s_reads = ["GET ", "HEAD ", "OPTIONS "];

    /// <summary>The tables the API writes, each with a <c>version</c> column.</summary>
    public static IReadOnlyList<string> Tables { get; } = ["tasks", "grids", "users", "api_keys"];

    /// <summary>What a successful answer of <paramref name="route"/> says it wrote; nothing for reads.</summary>
    public static IEnumerable<Write> Of(string route, int status, string body)
    {
        if (status is < 200 or > 299 || s_reads.Any(read => route.StartsWith(read, StringComparison.Ordinal)))
        {
            return [];
        }
        return s_byRoute.TryGetValue(route, out var writes)
            ? writes(body.Length == 0 ? new JsonObject() : JsonNode.Parse(body)!.AsObject())
            : throw new InvalidOperationException($"{route} answered {status}, and {nameof(WrittenRows)} does not say what it writes. Add an entry.");
    }

    /// <summary>Rows added to a table and versions moved in it.</summary>
    /// <param name="Table">The table.</param>
    /// <param name="Id">The added row's id, when the answer names it.</param>
    /// <param name="Rows">Rows added.</param>
    /// <param name="Versions">Version bumps of existing rows.</param>
    public sealed record Write(string Table, string? Id, int Rows, int Versions)
    {
        public static Write Row(string table, JsonNode? id) => new(table, (string?)id, 1, 0);

        public static Write Change(string table, int versions) => new(table, null, 0, versions);
    }
}
