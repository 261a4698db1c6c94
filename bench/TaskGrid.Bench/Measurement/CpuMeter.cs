using Npgsql;

namespace TaskGrid.Bench.Measurement;

/// <summary>
/// CPU seconds spent over a span by the silos, by the PostgreSQL server's processes (the
/// backends and background workers <c>pg_stat_activity</c> lists; a backend that exits within the
/// span takes its time with it) and by the whole machine. Where a drain's time goes, without a
/// profiler: the silos' and the server's share of the work, and how much of the machine others took.
/// </summary>
internal sealed class CpuMeter
{
    private readonly NpgsqlDataSource _admin;
    private readonly Dictionary<int, double> _server = [];
    private double _silos;
    private double _machine;

    private CpuMeter(NpgsqlDataSource admin) => _admin = admin;

    /// <summary>Starts the span now.</summary>
    public static async Task<CpuMeter> StartAsync(NpgsqlDataSource admin, IEnumerable<int> silos, CancellationToken cancellationToken)
    {
        var meter = new CpuMeter(admin)
        {
            _silos = silos.Sum(pid => ProcStatus.ReadCpuSeconds(pid) ?? 0),
            _machine = ProcStatus.ReadMachineBusySeconds() ?? 0,
        };
        foreach (var pid in await meter.ServerPidsAsync(cancellationToken))
        {
            meter._server[pid] = ProcStatus.ReadCpuSeconds(pid) ?? 0;
        }
        return meter;
    }

    /// <summary>CPU seconds since the start: silos, PostgreSQL, whole machine.</summary>
    public async Task<CpuUse> StopAsync(IEnumerable<int> silos, CancellationToken cancellationToken)
    {
        var silo = silos.Sum(pid => ProcStatus.ReadCpuSeconds(pid) ?? 0) - _silos;
        var server = 0.0;
        foreach (var pid in await ServerPidsAsync(cancellationToken))
        {
            server += (ProcStatus.ReadCpuSeconds(pid) ?? 0) - _server.GetValueOrDefault(pid);
        }
        return new CpuUse(silo, server, (ProcStatus.ReadMachineBusySeconds() ?? 0) - _machine);
    }

    private async Task<List<int>> ServerPidsAsync(CancellationToken cancellationToken)
    {
        var pids = new List<int>();
        await using var command = _admin.CreateCommand(BenchQueries.ServerProcesses);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            pids.Add(reader.GetInt32(0));
        }
        return pids;
    }
}

/// <summary>CPU seconds over a span.</summary>
internal sealed record CpuUse(double Silos, double Postgres, double Machine);
