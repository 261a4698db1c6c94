using System.CommandLine;
using Spectre.Console;
using TaskGrid.Cli.Output;
using TaskGrid.Client;
using TaskGrid.Paging;
using TaskGrid.Tasks;

namespace TaskGrid.Cli.Commands;

/// <summary><c>taskgrid tasks add|get|list|cancel|retry|wait|events</c>.</summary>
internal static class TasksCommands
{
    public static Command Build(CliApp app)
    {
        var tasks = app.Group("tasks", "Submit, inspect, cancel, retry and wait for single tasks.");
        tasks.Subcommands.Add(Add(app));
        tasks.Subcommands.Add(Get(app));
        tasks.Subcommands.Add(List(app));
        tasks.Subcommands.Add(Change(app, "cancel", "Cancel a pending or running task.", (c, id, ct) => c.CancelTaskAsync(id, ct)));
        tasks.Subcommands.Add(Change(app, "retry", "Retry a failed, cancelled or expired task (back to pending with fresh attempts).", (c, id, ct) => c.RetryTaskAsync(id, ct)));
        tasks.Subcommands.Add(Wait(app));
        tasks.Subcommands.Add(Events(app));
        return app.Examples(tasks, "taskgrid tasks add --objective \"Sum a list\" --language go", "taskgrid tasks list --status failed");
    }

    private static Command Add(CliApp app)
    {
        var kind = new Option<string?>("--kind") { Description = "codegen (default), script (default when --source or --source-file is given), noop, or another kind the cluster runs.", HelpName = "KIND" };
        var objective = new Option<string?>("--objective") { Description = "What the code should do (codegen).", HelpName = "TEXT" };
        var language = new Option<string?>("--language") { Description = "The language to write it in, e.g. python (codegen).", HelpName = "LANG" };
        var source = new Option<string?>("--source") { Description = "The script text (script).", HelpName = "TEXT" };
        var sourceFile = new Option<string?>("--source-file") { Description = "Read the script from this file (script).", HelpName = "FILE" };
        var interpreter = new Option<string?>("--interpreter") { Description = "bash, sh, python3 or node (script). Default: from the file's extension (.sh, .py, .js) or #! line, else bash.", HelpName = "NAME" };
        var arg = new Option<string[]>("--arg") { Description = "An argument for the script; repeat for more.", HelpName = "VALUE" };
        var env = new Option<string[]>("--env") { Description = "NAME=value for the script's environment; repeat for more.", HelpName = "NAME=VALUE" };
        var priority = new Option<int?>("--priority") { Description = "Higher runs first, -1000..1000. Default: 0.", HelpName = "N" };
        var maxAttempts = new Option<int?>("--max-attempts") { Description = "Attempts before it fails for good, 1..100. Default: 3.", HelpName = "N" };
        var ttl = new Option<int?>("--ttl") { Description = "Seconds it may wait to start before it expires. Default: 300.", HelpName = "SECONDS" };
        var timeout = new Option<int?>("--timeout") { Description = "Seconds one attempt may run. Default: the executor's.", HelpName = "SECONDS" };
        var user = new Option<string?>("--user") { Description = "Submit for this user (admins only).", HelpName = "USER-ID" };
        var wait = new Option<bool>("--wait") { Description = "Wait for the task to finish and print its code or output (as 'tasks wait')." };
        var command = new Command("add", "Submit a task.") { kind, objective, language, source, sourceFile, interpreter, arg, env, priority, maxAttempts, ttl, timeout, user, wait };
        app.SetRun(command, async (session, parse, ct) =>
        {
            var scriptText = parse.GetValue(source);
            var scriptFile = parse.GetValue(sourceFile);
            if (scriptText is not null && scriptFile is not null)
            {
                throw new UsageException("give the script as --source or as --source-file, not both.");
            }
            if (scriptFile is not null)
            {
                scriptText = ReadScript(scriptFile);
            }
            var request = new SubmitTaskRequest
            {
                Kind = parse.GetValue(kind) ?? (scriptText is not null ? TaskKinds.Script : null),
                Objective = parse.GetValue(objective),
                Language = parse.GetValue(language),
                Source = scriptText,
                Interpreter = parse.GetValue(interpreter) ?? (scriptText is null ? null : InterpreterOf(scriptFile, scriptText)),
                Args = parse.GetValue(arg) is { Length: > 0 } args ? args : null,
                Env = ParseEnv(parse.GetValue(env)),
                Priority = parse.GetValue(priority),
                MaxAttempts = parse.GetValue(maxAttempts),
                TtlSeconds = parse.GetValue(ttl),
                TimeoutSeconds = parse.GetValue(timeout),
                UserId = parse.GetValue(user),
            };
            var task = await session.Client.SubmitTaskAsync(request, ct);
            if (parse.GetValue(wait))
            {
                session.Note($"[grey]submitted task {task.Id}; waiting for it to finish[/]");
                return await WaitAndPrintAsync(session, task.Id, TimeSpan.FromSeconds(1), ct);
            }
            session.Out.Write(task, console => TaskTables.Detail(console, task));
            return ExitCodes.Ok;
        });
        return app.Examples(command,
            "taskgrid tasks add --objective \"Reverse a string\" --language python",
            "taskgrid tasks add --objective \"Parse a CSV line\" --language rust --priority 10 --wait > parse.rs",
            "taskgrid tasks add --source-file job.sh --arg 42 --env MODE=fast",
            "taskgrid tasks add --kind noop -o json");
    }

    private static Command Get(CliApp app)
    {
        var id = CommonOptions.Id("task");
        var command = new Command("get", "Show a task: its state, attempts, and code, output or error.") { id };
        app.SetRun(command, async (session, parse, ct) =>
        {
            var task = await session.Client.GetTaskAsync(parse.GetValue(id), ct);
            session.Out.Write(task, console => TaskTables.Detail(console, task));
            return ExitCodes.Ok;
        });
        return app.Examples(command, "taskgrid tasks get 0193a5b2-7c1e-7d4a-9f00-2b6c1d0e4f5a", "taskgrid tasks get $ID -o json | jq -r .code");
    }

    private static Command List(CliApp app)
    {
        var status = CommonOptions.Status();
        var grid = CommonOptions.GridFilter();
        var user = new Option<string?>("--user") { Description = "Only this user's tasks (admins).", HelpName = "USER-ID" };
        var limit = CommonOptions.Limit("tasks");
        var all = CommonOptions.All("task");
        var cursor = CommonOptions.Cursor();
        var command = new Command("list", "List tasks, newest first.") { status, grid, user, limit, all, cursor };
        app.SetRun(command, async (session, parse, ct) =>
        {
            var query = new TaskQuery(parse.GetValue(user), CommonOptions.ParseState(parse.GetValue(status)), parse.GetValue(grid), PageLimits.Max, parse.GetValue(cursor));
            var page = await Listing.CollectAsync(
                parse.GetValue(all), parse.GetValue(limit), query.Cursor,
                (size, after, token) => session.Client.GetTasksPageAsync(query with { Limit = size, Cursor = after }, token),
                token => session.Client.ListTasksAsync(query, token), ct);
            session.Out.Write(page, console => TaskTables.List(console, page));
            return ExitCodes.Ok;
        });
        return app.Examples(command,
            "taskgrid tasks list",
            "taskgrid tasks list --status failed --grid 0193a5b2-7c1e-7d4a-9f00-2b6c1d0e4f5a",
            "taskgrid tasks list --all -o json > tasks.json");
    }

    private static Command Change(CliApp app, string name, string description, Func<TaskGridClient, Guid, CancellationToken, Task<TaskView>> change)
    {
        var id = CommonOptions.Id("task");
        var command = new Command(name, description) { id };
        app.SetRun(command, async (session, parse, ct) =>
        {
            var task = await change(session.Client, parse.GetValue(id), ct);
            session.Out.Write(task, console => console.MarkupLine($"task {task.Id}: {Show.State(task.Status)}"));
            return ExitCodes.Ok;
        });
        return app.Examples(command, $"taskgrid tasks {name} 0193a5b2-7c1e-7d4a-9f00-2b6c1d0e4f5a");
    }

    private static Command Wait(CliApp app)
    {
        var id = CommonOptions.Id("task");
        var timeout = new Option<double?>("--timeout") { Description = "Give up after this many seconds (exit code 1). Default: wait as long as it takes.", HelpName = "SECONDS" };
        var interval = CommonOptions.Interval(1);
        var command = new Command("wait", "Wait until a task finishes, then print its code (codegen) or output (script). Exit code 6 if it did not complete.") { id, timeout, interval };
        app.SetRun(command, async (session, parse, ct) =>
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (parse.GetValue(timeout) is { } seconds)
            {
                deadline.CancelAfter(TimeSpan.FromSeconds(seconds));
            }
            try
            {
                return await WaitAndPrintAsync(session, parse.GetValue(id), TimeSpan.FromSeconds(parse.GetValue(interval)), deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw new TimeoutException($"task {parse.GetValue(id)} did not finish within {parse.GetValue(timeout)} s.");
            }
        });
        return app.Examples(command,
            "taskgrid tasks wait 0193a5b2-7c1e-7d4a-9f00-2b6c1d0e4f5a > solution.py",
            "taskgrid tasks wait $ID --timeout 600 -o json");
    }

    private static Command Events(CliApp app)
    {
        var id = CommonOptions.Id("task");
        var command = new Command("events", "Show a task's state changes, oldest first: who moved it, when and why.") { id };
        app.SetRun(command, async (session, parse, ct) =>
        {
            var events = await session.Client.GetTaskEventsAsync(parse.GetValue(id), ct);
            session.Out.Write(events, console => TaskTables.Events(console, events));
            return ExitCodes.Ok;
        });
        return app.Examples(command, "taskgrid tasks events 0193a5b2-7c1e-7d4a-9f00-2b6c1d0e4f5a");
    }

    /// <summary>Waits for the task, then prints its result: the code or output itself in table mode (so it can be redirected to a file), the task record otherwise.</summary>
    public static async Task<int> WaitAndPrintAsync(CliSession session, Guid id, TimeSpan interval, CancellationToken cancellationToken)
    {
        var task = await session.Client.WaitForTaskAsync(id, interval, cancellationToken);
        if (session.Out.IsTable)
        {
            var result = task.Status == TaskState.Completed ? task.Code ?? task.Output : task.Output;
            if (!string.IsNullOrEmpty(result))
            {
                session.Host.Out.Write(result.EndsWith('\n') ? result : result + "\n");
                await session.Host.Out.FlushAsync(cancellationToken);
            }
        }
        else
        {
            session.Out.Write(task, _ => { });
        }
        if (task.Status == TaskState.Completed)
        {
            return ExitCodes.Ok;
        }
        session.Note($"[red]task {task.Id} {task.Status.ToName()}[/]{(task.Error is { Length: > 0 } error ? ": " + Markup.Escape(error) : "")}");
        return ExitCodes.Unsuccessful;
    }

    private static string ReadScript(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"{path}: no such file (--source-file).");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{path}: cannot be read ({ex.Message}).");
        }
    }

    // The file's extension, else its #! line, else bash (an inline --source is usually a shell line).
    private static string InterpreterOf(string? path, string source)
    {
        switch (Path.GetExtension(path)?.ToUpperInvariant())
        {
            case ".SH":
                return "bash";
            case ".PY":
                return "python3";
            case ".JS" or ".MJS":
                return "node";
        }
        if (source.StartsWith("#!", StringComparison.Ordinal))
        {
            var shebang = source.AsSpan(2, source.IndexOf('\n', StringComparison.Ordinal) is var end and > 2 ? end - 2 : source.Length - 2).Trim().ToString();
            var words = shebang.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var program = words.Length > 1 && Path.GetFileName(words[0]) == "env" ? words[1] : Path.GetFileName(words.FirstOrDefault() ?? "");
            return program switch
            {
                "python" or "python3" => "python3",
                "node" or "nodejs" => "node",
                "sh" or "dash" => "sh",
                _ => "bash",
            };
        }
        return "bash";
    }

    private static Dictionary<string, string>? ParseEnv(string[]? pairs)
    {
        if (pairs is not { Length: > 0 })
        {
            return null;
        }
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"--env '{pair}' is not NAME=value.");
            }
            env[pair[..equals]] = pair[(equals + 1)..];
        }
        return env;
    }
}
