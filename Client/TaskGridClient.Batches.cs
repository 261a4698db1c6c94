using System.Net;
using System.Text.Json;
using TaskGrid.Client.Http;
using TaskGrid.Grids;
using TaskGrid.Serialization;
using TaskGrid.Tasks;

namespace TaskGrid.Client;

public sealed partial class TaskGridClient
{
    /// <summary>Tasks per call of <see cref="AddGridTasksInBatchesAsync"/> unless told otherwise.</summary>
    public const int DefaultBatchSize = 1000;

    // Well under the gateway's default body limit (32 MiB), so that a batch of long scripts
    // is cut by size before it is refused.
    private const int MaxBatchBytes = 8 * 1024 * 1024;

    /// <summary>
    /// Adds any number of tasks to a grid, <paramref name="batchSize"/> per call (fewer when the
    /// tasks are large). A batch the gateway refuses as too large (413: its bulk cap or body
    /// limit is lower) is split in half and sent again, and later batches stay at the smaller
    /// size. Each batch is all-or-nothing; when one fails the exception propagates and
    /// <paramref name="progress"/> has reported how many tasks were added before it.
    /// </summary>
    /// <param name="gridId">The grid.</param>
    /// <param name="tasks">The tasks, in order; enumerated once.</param>
    /// <param name="batchSize">Most tasks per call. Default: 1,000 (the gateway's default cap is 10,000).</param>
    /// <param name="progress">Receives the running total of tasks added after each batch.</param>
    /// <param name="cancellationToken">Stops between (or during) calls; batches already sent stay added.</param>
    /// <returns>Every added task's id, in the order given.</returns>
    /// <exception cref="TaskGridApiException">The first batch the gateway refused, for example 400 naming <c>[17].language</c> (indexes are within that batch).</exception>
    public async Task<AddedTasks> AddGridTasksInBatchesAsync(
        Guid gridId,
        IEnumerable<SubmitTaskRequest> tasks,
        int batchSize = DefaultBatchSize,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var ids = new List<Guid>();
        var batch = new List<byte[]>();
        var batchBytes = 0;
        foreach (var task in tasks)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(task, TaskGridJson.Options);
            if (batch.Count > 0 && (batch.Count >= batchSize || batchBytes + json.Length > MaxBatchBytes))
            {
                batchSize = await SendBatchAsync(gridId, batch, batchSize, ids, progress, cancellationToken);
                batch.Clear();
                batchBytes = 0;
            }
            batch.Add(json);
            batchBytes += json.Length + 1;
        }
        if (batch.Count > 0)
        {
            await SendBatchAsync(gridId, batch, batchSize, ids, progress, cancellationToken);
        }
        return new AddedTasks(gridId, ids.Count, ids);
    }

    // Sends one batch, halving it on 413; answers the batch size that worked.
    private async Task<int> SendBatchAsync(Guid gridId, List<byte[]> batch, int batchSize, List<Guid> ids, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        try
        {
            var added = await SendAsync<AddedTasks>(new ApiRequest(HttpMethod.Post, $"v1/grids/{gridId}/tasks", JoinArray(batch)), cancellationToken);
            ids.AddRange(added.TaskIds);
            progress?.Report(ids.Count);
            return batchSize;
        }
        catch (TaskGridApiException ex) when (ex.StatusCode == HttpStatusCode.RequestEntityTooLarge && batch.Count > 1)
        {
            var half = batch.Count / 2;
            var first = await SendBatchAsync(gridId, batch[..half], half, ids, progress, cancellationToken);
            await SendBatchAsync(gridId, batch[half..], first, ids, progress, cancellationToken);
            return Math.Min(first, half);
        }
    }

    private static byte[] JoinArray(List<byte[]> items)
    {
        var length = 2 + items.Sum(i => i.Length) + Math.Max(0, items.Count - 1);
        var body = new byte[length];
        var at = 0;
        body[at++] = (byte)'[';
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                body[at++] = (byte)',';
            }
            items[i].CopyTo(body, at);
            at += items[i].Length;
        }
        body[at] = (byte)']';
        return body;
    }
}
