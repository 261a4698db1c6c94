using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using TaskGrid.Access;
using TaskGrid.Grains.Logs;
using TaskGrid.Logs;
using TaskGrid.Tasks;

namespace TaskGrid.Gateway.Apis;

/// <summary>
/// Turns a task's log into server-sent events until the task ends: <c>log</c> events (each a
/// <see cref="TaskLogLine"/>, its <c>id</c> the line's seq so that a reconnecting client resumes
/// with <c>Last-Event-ID</c>), <c>ping</c> while nothing happens, and one <c>end</c> event with
/// the task's final status. It only reads through the task grain: new lines are announced by
/// whichever silo wrote them (LISTEN/NOTIFY), and a timer covers lost announcements.
/// </summary>
internal static class TaskLogFollower
{
    public static async IAsyncEnumerable<SseItem<string>> FollowAsync(
        ITaskGrain task, Caller caller, TaskLogPage first, int limit, TaskLogSignals signals, TaskLogOptions options,
        JsonSerializerOptions json, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var subscription = signals.Subscribe(task.Id);
        var page = first;
        var quietSince = DateTime.UtcNow;
        while (true)
        {
            foreach (var line in page.Items)
            {
                yield return new SseItem<string>(JsonSerializer.Serialize(line, json), "log")
                {
                    EventId = line.Seq.ToString(CultureInfo.InvariantCulture),
                };
            }
            if (page.Items.Count > 0)
            {
                quietSince = DateTime.UtcNow;
            }
            if (!page.HasMore)
            {
                // A terminal status read with this page means the page ends the log.
                if (TaskTransitions.IsTerminal(page.TaskStatus))
                {
                    yield return new SseItem<string>(JsonSerializer.Serialize(new LogStreamEnd(task.Id, page.TaskStatus), json), "end");
                    yield break;
                }
                await subscription.WaitAsync(options.FollowPollInterval, cancellationToken);
                if (DateTime.UtcNow - quietSince >= options.FollowKeepAliveInterval)
                {
                    quietSince = DateTime.UtcNow;
                    yield return new SseItem<string>("{}", "ping");
                }
            }
            page = await task.GetLogsAsync(caller, new TaskLogQuery(page.NextCursor, limit), cancellationToken);
        }
    }

    /// <summary>The last event of a follow stream.</summary>
    /// <param name="TaskId">The task.</param>
    /// <param name="Status">Its final status.</param>
    internal sealed record LogStreamEnd(Guid TaskId, TaskState Status);
}
