using TaskGrid.Grains.Persistence;

namespace TaskGrid.Tests.Unit.Persistence;

public sealed class DatabaseOptionsValidatorTests
{
    private static readonly DatabaseOptionsValidator s_validator = new();

    private static DatabaseOptions Valid() => new() { ConnectionString = "postgres://u@h/db" };

    [Fact]
    public void Defaults_with_a_database_pass() => Assert.True(s_validator.Validate(null, Valid()).Succeeded);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void A_missing_database_names_the_settings_to_set(string? connectionString)
    {
        var result = s_validator.Validate(null, new DatabaseOptions { ConnectionString = connectionString });
        Assert.True(result.Failed);
        Assert.Contains("TASKGRID_DATABASE_URL", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("DATABASE_URL", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://")]
    [InlineData("postgres://u@h/db?sslmode=sometimes")]
    [InlineData("Host=db;Frobnicate=yes")]
    public void An_unusable_database_setting_is_a_failure_not_a_crash(string connectionString)
    {
        var result = s_validator.Validate(null, new DatabaseOptions { ConnectionString = connectionString });
        Assert.True(result.Failed);
        Assert.Contains("TaskGrid:Database:ConnectionString", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_numbers_are_named()
    {
        var options = Valid();
        options.MaxPoolSize = 1;
        options.CommandTimeout = TimeSpan.Zero;
        options.ConnectTimeout = TimeSpan.FromSeconds(-1);
        options.IdleInTransactionTimeout = TimeSpan.FromMilliseconds(500);
        var result = s_validator.Validate(null, options);
        Assert.Equal(4, result.Failures!.Count());
        Assert.Contains("MaxPoolSize", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("CommandTimeout", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("ConnectTimeout", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("IdleInTransactionTimeout", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_password_never_appears_in_a_failure()
    {
        var result = s_validator.Validate(null, new DatabaseOptions { ConnectionString = "postgres://u:hunter2@h/db?sslmode=sometimes" });
        Assert.True(result.Failed);
        Assert.DoesNotContain("hunter2", result.FailureMessage, StringComparison.Ordinal);
    }
}
