using TaskGrid.Grains.Executors.Script;

namespace TaskGrid.Tests.Unit.Executors;

public sealed class ScriptOptionsValidatorTests
{
    private static readonly ScriptOptionsValidator s_validator = new();

    [Fact]
    public void Defaults_pass()
    {
        var defaults = new ScriptOptions();
        Assert.True(s_validator.Validate(null, defaults).Succeeded);
        Assert.Equal(["bash", "node", "python3", "sh"], defaults.Interpreters.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(0, 1024, "/tmp/x", "DefaultTimeout")]
    [InlineData(60, 1023, "/tmp/x", "MaxOutputBytes")]
    [InlineData(60, 64 * 1024 * 1024 + 1, "/tmp/x", "MaxOutputBytes")]
    [InlineData(60, 1024, "relative/dir", "ScratchRoot")]
    [InlineData(60, 1024, "", "ScratchRoot")]
    public void Out_of_range_settings_are_named(int timeoutSeconds, int maxOutput, string scratch, string setting)
    {
        var result = s_validator.Validate(null, new ScriptOptions { DefaultTimeout = TimeSpan.FromSeconds(timeoutSeconds), MaxOutputBytes = maxOutput, ScratchRoot = scratch });
        Assert.True(result.Failed);
        Assert.Single(result.Failures!);
        Assert.Contains("TaskGrid:Script:" + setting, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interpreter_must_name_a_program()
    {
        var options = new ScriptOptions();
        options.Interpreters["ruby"] = " ";
        var result = s_validator.Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("TaskGrid:Script:Interpreters:ruby", result.FailureMessage, StringComparison.Ordinal);
    }
}
