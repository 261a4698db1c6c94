using TaskGrid.Grains.Tasks;

namespace TaskGrid.Tests.Unit.Tasks;

public sealed class TaskOptionsValidatorTests
{
    private static readonly TaskOptionsValidator s_validator = new();

    [Fact]
    public void Defaults_pass_and_match_the_design()
    {
        var defaults = new TaskOptions();
        Assert.True(s_validator.Validate(null, defaults).Succeeded);
        Assert.Equal(TimeSpan.FromMinutes(5), defaults.DefaultTtl);
        Assert.Equal(3, defaults.DefaultMaxAttempts);
        Assert.Equal(["codegen", "script", "noop"], defaults.Kinds);
    }

    [Theory]
    [InlineData(0, 3, 10, "DefaultTtl")]
    [InlineData(-60, 3, 10, "DefaultTtl")]
    [InlineData(300, 0, 10, "DefaultMaxAttempts")]
    [InlineData(300, 101, 10, "DefaultMaxAttempts")]
    [InlineData(300, 3, 0, "MaxTasksPerCall")]
    [InlineData(300, 3, 100_001, "MaxTasksPerCall")]
    public void Out_of_range_settings_are_named(int ttlSeconds, int maxAttempts, int maxPerCall, string setting)
    {
        var result = s_validator.Validate(null, new TaskOptions { DefaultTtl = TimeSpan.FromSeconds(ttlSeconds), DefaultMaxAttempts = maxAttempts, MaxTasksPerCall = maxPerCall });
        Assert.True(result.Failed);
        Assert.Single(result.Failures!);
        Assert.Contains("TaskGrid:Tasks:" + setting, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void At_least_one_kind_is_needed()
    {
        var options = new TaskOptions();
        options.Kinds.Clear();
        var result = s_validator.Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("TaskGrid:Tasks:Kinds", result.FailureMessage, StringComparison.Ordinal);
    }
}
