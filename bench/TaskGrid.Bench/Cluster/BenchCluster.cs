using System.Globalization;
using Npgsql;
using TaskGrid.Bench.Measurement;
using TaskGrid.Client;
using TaskGrid.Testing;

namespace TaskGrid.Bench.Cluster;

/// <summary>
/// One TaskGrid cluster on its own database: a gateway (started at once, so tasks can be queued
/// before any silo runs) and silos started and stopped per measurement. Processes are the real
/// published silo and gateway (ReadyToRun, as <c>./taskgrid up</c> and the images run them; see
/// <c>TestEnvironment.ProcessAssembly</c>), run with their defaults apart from
/// the worker options of the configuration and the gateway's rate limit, which is lifted so
/// that it does not shape the offered load.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private readonly BenchContext _context;
    private readonly List<TaskGridProcess> _silos = [];
    private readonly Lock _gate = new();
    private int _generation;

    private BenchCluster(BenchContext context, string database, NpgsqlDataSource data, TaskGridProcess gateway, TaskGridClient client)
    {
        _context = context;
        DatabaseName = database;
        Data = data;
        Gateway = gateway;
        Client = client;
    }

    public string DatabaseName { get; }

    /// <summary>The server's admin connection (for server-wide views such as pg_stat_activity).</summary>
    public NpgsqlDataSource Admin => _context.Server.Admin;

    /// <summary>The cluster's database, for timings and checks made straight in SQL.</summary>
    public NpgsqlDataSource Data { get; }

    public TaskGridProcess Gateway { get; }

    /// <summary>The SDK client, with the admin key, retries off (a benchmark must not repeat a POST).</summary>
    public TaskGridClient Client { get; }

    /// <summary>Names of the silos now running.</summary>
    public IReadOnlyList<string> SiloNames
    {
        get
        {
            lock (_gate)
            {
                return [.. _silos.Select(s => s.Name)];
            }
        }
    }

    /// <summary>The processes whose memory is watched, by role.</summary>
    public IEnumerable<(string Role, int Pid)> Processes()
    {
        lock (_gate)
        {
            return [("gateway", Gateway.Pid), .. _silos.Where(s => !s.HasExited).Select(s => ("silo", s.Pid))];
        }
    }

    public static async Task<BenchCluster> StartAsync(BenchContext context, string name, CancellationToken cancellationToken)
    {
        var database = "tgbench_" + name;
        var data = await context.Server.CreateDatabaseAsync(database, cancellationToken);
        var port = FreePort.Next();
        var gateway = TaskGridProcess.Start("Gateway", "gateway", new Dictionary<string, string>
        {
            ["TASKGRID_DATABASE_URL"] = context.Server.UrlOf(database),
            ["TaskGrid__Auth__BootstrapAdminKey"] = context.AdminKey,
            ["TaskGrid__Gateway__RateLimit__PermitsPerSecond"] = "1000000",
            ["TaskGrid__Gateway__RateLimit__Burst"] = "1000000",
        }, "--urls", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        context.Started(gateway.Pid);
        var client = new TaskGridClient(new TaskGridClientOptions
        {
            BaseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}")),
            ApiKey = context.AdminKey,
            Timeout = TimeSpan.FromMinutes(2),
            MaxRetries = 0,
        });
        var cluster = new BenchCluster(context, database, data, gateway, client);
        try
        {
            await cluster.WaitForGatewayAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts the configuration's silos without waiting for them, and returns when they were
    /// spawned (the start of the drain clock: process start-up is reported on its own).
    /// </summary>
    public DateTimeOffset StartSilos(EngineConfig config, IReadOnlyDictionary<string, string>? extra = null)
    {
        var generation = Interlocked.Increment(ref _generation);
        var spawned = DateTimeOffset.UtcNow;
        for (var i = 1; i <= config.Silos; i++)
        {
            // A fresh name per start: a restarted silo would otherwise take over its predecessor's rows.
            var name = string.Create(CultureInfo.InvariantCulture, $"bench-g{generation}-s{i}");
            var environment = new Dictionary<string, string>
            {
                ["TASKGRID_DATABASE_URL"] = _context.Server.UrlOf(DatabaseName),
                ["TaskGrid__Silo__Name"] = name,
            };
            foreach (var (key, value) in config.SiloEnvironment().Concat(extra ?? new Dictionary<string, string>()))
            {
                environment[key] = value;
            }
            var silo = TaskGridProcess.Start("Silo", name, environment);
            _context.Started(silo.Pid);
            lock (_gate)
            {
                _silos.Add(silo);
            }
        }
        return spawned;
    }

    /// <summary>Waits until every worker of the running silos has registered (they claim from then on).</summary>
    public async Task WaitForWorkersAsync(EngineConfig config, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var names = SiloNames.ToArray();
        var expected = names.Length * config.Workers;
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            await using var command = Data.CreateCommand(BenchQueries.WorkersRegistered);
            command.Parameters.AddWithValue("silos", names);
            var registered = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
            if (registered >= expected)
            {
                return;
            }
            ThrowIfSiloExited();
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {registered} of {expected} workers registered within {timeout.TotalSeconds:0} s.");
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Throws with the silo's output when one has died (a benchmark of a crashed engine means nothing).</summary>
    public void ThrowIfSiloExited()
    {
        TaskGridProcess? dead;
        lock (_gate)
        {
            dead = _silos.FirstOrDefault(s => s.HasExited);
        }
        if (dead is not null)
        {
            throw new InvalidOperationException($"Silo {dead.Name} exited. Its output:\n{dead.RecentOutput}");
        }
    }

    /// <summary>Stops the silos the way Kubernetes does (SIGTERM), killing any that outstay 30 s.</summary>
    public async Task StopSilosAsync()
    {
        List<TaskGridProcess> silos;
        lock (_gate)
        {
            silos = [.. _silos];
            _silos.Clear();
        }
        foreach (var silo in silos.Where(s => !s.HasExited))
        {
            silo.Terminate();
        }
        foreach (var silo in silos)
        {
            await silo.WaitForExitAsync(TimeSpan.FromSeconds(30));
            await silo.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopSilosAsync();
        if (!Gateway.HasExited)
        {
            Gateway.Terminate();
            await Gateway.WaitForExitAsync(TimeSpan.FromSeconds(15));
        }
        await Gateway.DisposeAsync();
        Client.Dispose();
        await Data.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (!_context.KeepDatabases)
        {
            await _context.Server.DropDatabaseAsync(DatabaseName, CancellationToken.None);
        }
    }

    private async Task WaitForGatewayAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (Gateway.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited. Its output:\n{Gateway.RecentOutput}");
            }
            try
            {
                if ((await Client.GetStatusAsync(cancellationToken)).Ready)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"The gateway did not become ready within 90 s. Its output:\n{Gateway.RecentOutput}");
            }
            await Task.Delay(100, cancellationToken);
        }
    }
}
