using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TaskGrid.Tests.Chaos;

/// <summary>
/// Submits batches of tasks to a grid over HTTP until stopped, recording in the ledger every
/// task the gateway accepted (201). Refusals and timeouts are counted, not retried: a task
/// counts as submitted only when the gateway said so.
/// </summary>
public sealed class ChaosLoad(HttpClient gateway, Guid gridId, ChaosLedger ledger, Func<int, object> task, int batchSize, TimeSpan every)
{
    private int _refused;
    private int _timedOut;

    public int Refused => Volatile.Read(ref _refused);

    public int TimedOut => Volatile.Read(ref _timedOut);

    public async Task RunAsync(CancellationToken stop)
    {
        for (var batch = 0; !stop.IsCancellationRequested; batch++)
        {
            var tasks = Enumerable.Range(0, batchSize).Select(i => task(batch * batchSize + i)).ToArray();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                using var response = await gateway.PostAsJsonAsync($"/v1/grids/{gridId}/tasks", tasks, timeout.Token);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var added = await response.Content.ReadFromJsonAsync<JsonObject>(CancellationToken.None);
                    ledger.Accept(added!["task_ids"]!.AsArray().Select(id => Guid.Parse((string)id!)));
                }
                else
                {
                    Interlocked.Increment(ref _refused);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                Interlocked.Increment(ref _timedOut);
            }
            try
            {
                await Task.Delay(every, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
