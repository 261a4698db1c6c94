using TaskGrid.Bench;

try
{
    var arguments = BenchArguments.Parse(args, Environment.GetEnvironmentVariable("TASKGRID_BENCH_THROUGHPUT"));
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };
    return await BenchCommand.RunAsync(arguments, stop.Token);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}\n\n{BenchArguments.Usage}");
    return 2;
}
