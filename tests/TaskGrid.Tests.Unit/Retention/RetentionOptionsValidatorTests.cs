using TaskGrid.Grains.Retention;

namespace TaskGrid.Tests.Unit.Retention;

public sealed class RetentionOptionsValidatorTests
{
    private static readonly RetentionOptionsValidator s_validator = new();

    [Fact]
    public void Defaults_pass() => Assert.True(s_validator.Validate(null, new RetentionOptions()).Succeeded);

    [Theory]
    [InlineData(0.5)]
    [InlineData(86_401)]
    public void A_stalled_pass_timeout_outside_a_second_to_a_day_is_named(double seconds)
    {
        var result = s_validator.Validate(null, new RetentionOptions { StalledPassTimeout = TimeSpan.FromSeconds(seconds) });
        Assert.True(result.Failed);
        Assert.Contains("TaskGrid:Retention:StalledPassTimeout", result.FailureMessage, StringComparison.Ordinal);
    }
}
