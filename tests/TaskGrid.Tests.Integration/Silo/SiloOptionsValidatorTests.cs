using TaskGrid.Silo;
using TaskGrid.Silo.Workers;

namespace TaskGrid.Tests.Integration.Silo;

/// <summary>Pure logic, here because the Silo's internals are visible to this project only.</summary>
public sealed class SiloOptionsValidatorTests
{
    private static readonly SiloOptionsValidator s_silo = new();
    private static readonly WorkerOptionsValidator s_worker = new();

    [Theory]
    [InlineData("silo-0")]
    [InlineData("taskgrid-silo-1.example")]
    [InlineData("a")]
    public void Pod_like_silo_names_pass(string name) => Assert.True(s_silo.Validate(null, new SiloOptions { Name = name }).Succeeded);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Silo-0")]
    [InlineData("-silo")]
    [InlineData("silo-")]
    [InlineData("silo_0")]
    [InlineData("silo/0")]
    public void Other_silo_names_are_refused_naming_the_setting(string? name)
    {
        var result = s_silo.Validate(null, new SiloOptions { Name = name });
        Assert.True(result.Failed);
        Assert.Contains("TaskGrid:Silo:Name", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_silo_name_longer_than_a_pod_name_is_refused() =>
        Assert.True(s_silo.Validate(null, new SiloOptions { Name = new string('a', 64) }).Failed);

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    public void The_health_port_must_be_a_port(int port)
    {
        var result = s_silo.Validate(null, new SiloOptions { Name = "s", HealthPort = port });
        Assert.Contains("TaskGrid:Silo:HealthPort", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Worker_defaults_pass_and_match_the_design()
    {
        var defaults = new WorkerOptions();
        Assert.True(s_worker.Validate(null, defaults).Succeeded);
        Assert.Equal(10, defaults.Prefetch);
    }

    [Fact]
    public void A_renewal_interval_above_half_the_lease_is_refused_with_both_values()
    {
        var result = s_worker.Validate(null, new WorkerOptions { LeaseDuration = TimeSpan.FromSeconds(10), LeaseRenewInterval = TimeSpan.FromSeconds(6) });
        Assert.True(result.Failed);
        Assert.Contains("LeaseRenewInterval (00:00:06)", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("LeaseDuration (00:00:10)", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(s_worker.Validate(null, new WorkerOptions { LeaseDuration = TimeSpan.FromSeconds(10), LeaseRenewInterval = TimeSpan.FromSeconds(5) }).Succeeded);
    }

    public static TheoryData<string, WorkerOptions> BadWorkerOptions() => new()
    {
        { "Workers", new WorkerOptions { Workers = 0 } },
        { "Workers", new WorkerOptions { Workers = 257 } },
        { "Concurrency", new WorkerOptions { Concurrency = 0 } },
        { "Prefetch", new WorkerOptions { Prefetch = 0 } },
        { "LeaseRenewInterval", new WorkerOptions { LeaseRenewInterval = TimeSpan.Zero } },
        { "PollInterval", new WorkerOptions { PollInterval = TimeSpan.Zero } },
        { "AckBatchSize", new WorkerOptions { AckBatchSize = 0 } },
        { "ShutdownGracePeriod", new WorkerOptions { ShutdownGracePeriod = TimeSpan.FromSeconds(-1) } },
        { "RetryBaseDelay", new WorkerOptions { RetryBaseDelay = TimeSpan.Zero } },
        { "RetryBaseDelay", new WorkerOptions { RetryBaseDelay = TimeSpan.FromMinutes(10), RetryMaxDelay = TimeSpan.FromMinutes(5) } },
    };

    [Theory]
    [MemberData(nameof(BadWorkerOptions))]
    public void Bad_worker_settings_are_named(string setting, WorkerOptions options)
    {
        var result = s_worker.Validate(null, options);
        Assert.True(result.Failed);
        Assert.Single(result.Failures!);
        Assert.Contains("TaskGrid:Worker:" + setting, result.FailureMessage, StringComparison.Ordinal);
    }
}
