using System.CommandLine;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Spectre.Console;
using TaskGrid.Cli.Input;
using TaskGrid.Cli.Output;
using TaskGrid.Client;
using TaskGrid.Grids;
using TaskGrid.Serialization;
using TaskGrid.Tasks;
using TaskGrid.Validation;

namespace TaskGrid.Cli.Commands;

/// <summary>
/// <c>taskgrid grids create</c>. Tasks from a file and a matrix that fit one call are sent with
/// the grid itself, so the grid and its tasks appear together or not at all. More than that is
/// sent in batches under the gateway's bulk cap after the grid is made; if a batch is refused,
/// the message says how many tasks the grid got. A task the gateway refuses is reported at its
/// file and line.
/// </summary>
internal static partial class GridCreation
{
    // The byte budget of the single creating call; the SDK's batches have their own.
    private const int MaxInlineBytes = 8 * 1024 * 1024;

    public static Command Build(CliApp app)
    {
        var name = new Argument<string>("NAME") { Description = "The grid's name, for people." };
        var priority = new Option<int?>("--priority") { Description = "The default priority of its tasks, -1000..1000 (higher runs first). Default: 0.", HelpName = "N" };
        var maxConcurrency = new Option<int?>("--max-concurrency") { Description = "At most this many of its tasks run at once, cluster-wide. Default: no limit.", HelpName = "N" };
        var maxAttempts = new Option<int?>("--max-attempts") { Description = "Default attempts per task, 1..100. Default: 3.", HelpName = "N" };
        var taskTtl = new Option<int?>("--task-ttl") { Description = "Seconds a task may wait to start before it expires. Default: none.", HelpName = "SECONDS" };
        var user = new Option<string?>("--user") { Description = "Create the grid for this user (admins only).", HelpName = "USER-ID" };
        var fromFile = new Option<string?>("--from-file", "-f")
        {
            Description = "Tasks to add: .jsonl (one task object per line, the API's field names), .csv (a header row of field names; args space-separated, env as NAME=value;NAME=value) or .json (an array).",
            HelpName = "FILE",
        };
        var matrix = new Option<string[]>("--matrix")
        {
            Description = "One codegen task per objective × language: two files with one objective, respectively one language, per line.",
            HelpName = "OBJECTIVES x LANGUAGES",
            Arity = new ArgumentArity(2, 3),
            AllowMultipleArgumentsPerToken = true,
        };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Tasks per upload call; a batch the gateway finds too large is split.",
            HelpName = "N",
            DefaultValueFactory = _ => TaskGridClient.DefaultBatchSize,
        };
        batchSize.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--batch-size must be 1 or more.");
            }
        });
        var watch = new Option<bool>("--watch", "-w") { Description = "Then follow the grid until it is done, as 'grids status --watch'." };
        var interval = CommonOptions.Interval(1);
        var command = new Command("create", "Create a grid, optionally with tasks from a file and/or an objectives × languages matrix.")
        {
            name, priority, maxConcurrency, maxAttempts, taskTtl, user, fromFile, matrix, batchSize, watch, interval,
        };
        app.SetRun(command, async (session, parse, ct) =>
        {
            var sources = new List<TaskSource>();
            if (parse.GetValue(fromFile) is { } file)
            {
                sources.AddRange(TaskFileReader.Read(file).Select(t => new TaskSource(t.Request, $"{file}:{t.Line}")));
            }
            GridMatrix? gridMatrix = null;
            if (parse.GetValue(matrix) is { Length: > 0 } matrixFiles)
            {
                gridMatrix = ReadMatrix(matrixFiles);
                sources.AddRange(GridRequestValidator.ExpandMatrix(gridMatrix)
                    .Select(t => new TaskSource(t, $"--matrix task (objective '{Shorten(t.Objective)}', language '{t.Language}')")));
            }
            var request = new CreateGridRequest
            {
                Name = parse.GetValue(name),
                Priority = parse.GetValue(priority),
                MaxConcurrency = parse.GetValue(maxConcurrency),
                MaxAttempts = parse.GetValue(maxAttempts),
                TaskTtlSeconds = parse.GetValue(taskTtl),
                UserId = parse.GetValue(user),
            };
            var grid = await CreateAsync(session, request, sources, parse.GetValue(batchSize), ct);
            if (parse.GetValue(watch))
            {
                session.Note($"[grey]created grid {grid.Id} with {grid.Total:#,0} tasks; watching it[/]");
                return await GridsCommands.WatchAsync(session, grid.Id, TimeSpan.FromSeconds(parse.GetValue(interval)), ct);
            }
            session.Out.Write(grid, console => GridTables.Detail(console, grid));
            return ExitCodes.Ok;
        });
        return app.Examples(command,
            "taskgrid grids create smoke",
            "taskgrid grids create nightly --from-file tasks.jsonl --priority 5 --max-concurrency 50",
            "taskgrid grids create katas --matrix objectives.txt x languages.txt --watch",
            "taskgrid grids create import --from-file tasks.csv -o json | jq -r .id");
    }

    private static async Task<GridView> CreateAsync(CliSession session, CreateGridRequest request, List<TaskSource> sources, int batchSize, CancellationToken cancellationToken)
    {
        var client = session.Client;
        if (sources.Count <= batchSize && InlineBytes(sources) <= MaxInlineBytes)
        {
            try
            {
                return await client.CreateGridAsync(request with { Tasks = sources.Count > 0 ? [.. sources.Select(s => s.Request)] : null }, cancellationToken);
            }
            catch (TaskGridApiException ex) when (ex.StatusCode == HttpStatusCode.BadRequest)
            {
                throw Locate(ex, sources, offset: 0, prefix: "tasks");
            }
            catch (TaskGridApiException ex) when (ex.StatusCode == HttpStatusCode.RequestEntityTooLarge && sources.Count > 1)
            {
                // The gateway's cap is below this batch: fall through to batches, which adapt.
            }
        }
        var grid = await client.CreateGridAsync(request, cancellationToken);
        var added = 0;
        try
        {
            session.Note($"[grey]created grid {grid.Id}; adding {sources.Count:#,0} tasks in batches of up to {batchSize:#,0}[/]");
            await client.AddGridTasksInBatchesAsync(grid.Id, sources.Select(s => s.Request), batchSize,
                new SynchronousProgress(count =>
                {
                    added = count;
                    session.Note($"[grey]  added {count:#,0}/{sources.Count:#,0}[/]");
                }), cancellationToken);
        }
        catch (TaskGridApiException ex)
        {
            var located = ex.StatusCode == HttpStatusCode.BadRequest ? Locate(ex, sources, added, prefix: "") : ex;
            throw new TaskGridApiException(ex.StatusCode, ex.Title,
                $"grid {grid.Id} was created but got only {added:#,0} of {sources.Count:#,0} tasks: {(located is UsageException ? located.Message : ex.Detail ?? ex.Message)}",
                ex.Errors, ex.RetryAfter);
        }
        return await client.GetGridAsync(grid.Id, cancellationToken);
    }

    /// <summary>Rewrites a 400 about <c>tasks[i].field</c> (or <c>[i].field</c> in a batch) as the file line of task <c>offset + i</c>.</summary>
    private static Exception Locate(TaskGridApiException exception, List<TaskSource> sources, int offset, string prefix)
    {
        foreach (var (field, messages) in exception.Errors)
        {
            var match = TaskField().Match(field);
            if (match.Success && match.Groups["prefix"].Value == prefix && int.TryParse(match.Groups["index"].Value, out var index) && offset + index < sources.Count)
            {
                var what = match.Groups["field"].Value;
                return new UsageException($"{sources[offset + index].Where}: {what}: {string.Join(" ", messages)}");
            }
        }
        return exception;
    }

    private static GridMatrix ReadMatrix(string[] files)
    {
        var (objectives, languages) = files switch
        {
            [var o, var x, var l] when x.Equals("x", StringComparison.OrdinalIgnoreCase) || x == "×" => (o, l),
            [var o, var l] => (o, l),
            _ => throw new UsageException($"--matrix takes OBJECTIVES x LANGUAGES (two files, 'x' between them); got '{string.Join(' ', files)}'."),
        };
        return new GridMatrix
        {
            Objectives = LineListReader.Read(objectives, "objectives"),
            Languages = LineListReader.Read(languages, "languages"),
        };
    }

    private static long InlineBytes(List<TaskSource> sources) =>
        sources.Sum(s => (long)JsonSerializer.SerializeToUtf8Bytes(s.Request, TaskGridJson.Options).Length + 1);

    private static string Shorten(string? text) => text is { Length: > 40 } ? text[..39] + "…" : text ?? "";

    [GeneratedRegex(@"^(?<prefix>tasks|)\[(?<index>\d+)\]\.?(?<field>.*)$")]
    private static partial Regex TaskField();

    /// <summary>A task to send and where it came from, for messages.</summary>
    private sealed record TaskSource(SubmitTaskRequest Request, string Where);

    /// <summary>Reports on the caller's thread, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
