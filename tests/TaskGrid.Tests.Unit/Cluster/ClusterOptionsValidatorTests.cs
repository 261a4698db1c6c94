using TaskGrid.Grains.Cluster;

namespace TaskGrid.Tests.Unit.Cluster;

public sealed class ClusterOptionsValidatorTests
{
    private static readonly ClusterOptionsValidator s_validator = new();

    [Fact]
    public void Defaults_pass() => Assert.True(s_validator.Validate(null, new ClusterOptions()).Succeeded);

    [Fact]
    public void Dead_after_must_be_at_least_two_heartbeats()
    {
        var options = new ClusterOptions { SiloHeartbeatInterval = TimeSpan.FromSeconds(10), SiloDeadAfter = TimeSpan.FromSeconds(19) };
        var result = s_validator.Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("SiloDeadAfter (00:00:19)", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("SiloHeartbeatInterval (00:00:10)", result.FailureMessage, StringComparison.Ordinal);
        options.SiloDeadAfter = TimeSpan.FromSeconds(20);
        Assert.True(s_validator.Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(0, 30, 2, 1000, "SiloHeartbeatInterval")]
    [InlineData(5, 30, 0, 1000, "MaintenanceInterval")]
    [InlineData(5, 30, 2, 0, "MaintenanceBatchSize")]
    [InlineData(5, 30, 2, 100_001, "MaintenanceBatchSize")]
    public void Out_of_range_settings_are_named(int heartbeatSeconds, int deadAfterSeconds, int maintenanceSeconds, int batch, string setting)
    {
        var result = s_validator.Validate(null, new ClusterOptions
        {
            SiloHeartbeatInterval = TimeSpan.FromSeconds(heartbeatSeconds),
            SiloDeadAfter = TimeSpan.FromSeconds(deadAfterSeconds),
            MaintenanceInterval = TimeSpan.FromSeconds(maintenanceSeconds),
            MaintenanceBatchSize = batch,
        });
        Assert.True(result.Failed);
        Assert.Contains("TaskGrid:Cluster:" + setting, result.FailureMessage, StringComparison.Ordinal);
    }
}
