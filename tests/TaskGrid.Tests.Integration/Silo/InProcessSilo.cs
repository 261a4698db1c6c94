using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using TaskGrid.Silo;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Integration.Silo;

/// <summary>
/// A whole silo (membership, maintenance, notifications, worker pool) hosted in the test
/// process, wired by the same <c>AddSilo</c> as the real program, on the test class's database.
/// </summary>
internal sealed class InProcessSilo : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LogLines _log;
    private bool _stopped;

    private InProcessSilo(WebApplication app, LogLines log, string name)
    {
        _app = app;
        _log = log;
        Name = name;
    }

    public string Name { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>What the silo logged, for failure messages.</summary>
    public string Log => string.Join('\n', _log.Lines);

    public static async Task<InProcessSilo> StartAsync(TestDatabase database, IDictionary<string, string?>? extra = null)
    {
        var name = $"silo-{Guid.NewGuid():N}"[..17];
        var settings = new Dictionary<string, string?>
        {
            ["TaskGrid:Database:ConnectionString"] = database.ConnectionString,
            ["TaskGrid:Database:MigrateOnStart"] = "false",
            ["TaskGrid:Silo:Name"] = name,
            ["TaskGrid:Cluster:SiloHeartbeatInterval"] = "00:00:01",
            ["TaskGrid:Cluster:SiloDeadAfter"] = "00:00:10",
            ["TaskGrid:Cluster:MaintenanceInterval"] = "00:00:00.500",
            ["TaskGrid:Worker:Workers"] = "1",
            ["TaskGrid:Worker:Concurrency"] = "4",
            ["TaskGrid:Worker:PollInterval"] = "00:00:00.500",
            ["TaskGrid:Worker:LeaseDuration"] = "00:00:30",
            ["TaskGrid:Worker:LeaseRenewInterval"] = "00:00:05",
            ["TaskGrid:Worker:ShutdownGracePeriod"] = "00:00:01",
            ["TaskGrid:Worker:RetryBaseDelay"] = "00:00:00.100",
            ["TaskGrid:Worker:RetryMaxDelay"] = "00:00:01",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings);
        var log = new LogLines();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(log);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.AddSilo();
        var app = builder.Build();
        await app.StartAsync();
        return new InProcessSilo(app, log, name);
    }

    /// <summary>Stops the silo as SIGTERM does: drain, grace period, hand back, leave.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _app.StopAsync(patience.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync();
        }
        await _app.DisposeAsync();
    }

    private sealed class LogLines : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(LogLines sink, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                sink.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
            }
        }
    }
}
