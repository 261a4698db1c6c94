using Npgsql;
using TaskGrid.Grains.Persistence;

namespace TaskGrid.Tests.Unit.Persistence;

public sealed class DatabaseUrlTests
{
    private static NpgsqlConnectionStringBuilder Parse(string value) => new(DatabaseUrl.ToConnectionString(value));

    [Fact]
    public void A_full_url_becomes_every_connection_setting()
    {
        var built = Parse("postgres://alice:s3cret@db.example.com:6543/tasks");
        Assert.Equal("db.example.com", built.Host);
        Assert.Equal(6543, built.Port);
        Assert.Equal("tasks", built.Database);
        Assert.Equal("alice", built.Username);
        Assert.Equal("s3cret", built.Password);
    }

    [Theory]
    [InlineData("postgres://u@h/db")]
    [InlineData("postgresql://u@h/db")]
    [InlineData("POSTGRES://u@h/db")]
    public void Both_schemes_are_accepted_and_the_port_defaults_to_5432(string url)
    {
        var built = Parse(url);
        Assert.Equal(5432, built.Port);
        Assert.Equal("h", built.Host);
        Assert.Equal("db", built.Database);
        Assert.Equal("u", built.Username);
        Assert.Null(built.Password);
    }

    [Fact]
    public void Escaped_characters_in_user_and_password_are_unescaped()
    {
        var built = Parse("postgres://us%3Aer%40corp:p%40ss%3Aw%2Frd%25%20x@h:5433/my%20db");
        Assert.Equal("us:er@corp", built.Username);
        Assert.Equal("p@ss:w/rd% x", built.Password);
        Assert.Equal("my db", built.Database);
    }

    [Fact]
    public void A_url_without_a_database_uses_postgres() => Assert.Equal("postgres", Parse("postgres://u@h:5432").Database);

    [Theory]
    [InlineData("disable", SslMode.Disable)]
    [InlineData("require", SslMode.Require)]
    [InlineData("prefer", SslMode.Prefer)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    [InlineData("verify-full", SslMode.VerifyFull)]
    public void Sslmode_is_read_in_libpq_spelling(string sslmode, SslMode expected) =>
        Assert.Equal(expected, Parse($"postgres://u@h/db?sslmode={sslmode}").SslMode);

    [Fact]
    public void Other_parameters_pass_through_to_npgsql()
    {
        var built = Parse("postgres://u@h/db?Timeout=7&sslmode=require");
        Assert.Equal(7, built.Timeout);
        Assert.Equal(SslMode.Require, built.SslMode);
    }

    [Fact]
    public void A_host_parameter_names_a_unix_socket_directory() =>
        Assert.Equal("/var/run/postgresql", Parse("postgres://u@localhost/db?host=%2Fvar%2Frun%2Fpostgresql").Host);

    [Fact]
    public void A_url_without_a_host_may_name_a_socket_directory_as_libpq_allows()
    {
        var built = Parse("postgres:///tasks?host=%2Fvar%2Frun%2Fpostgresql");
        Assert.Equal(("/var/run/postgresql", "tasks"), (built.Host, built.Database));
    }

    [Fact]
    public void An_ipv6_host_loses_its_brackets()
    {
        var built = Parse("postgres://u@[::1]:5433/db");
        Assert.Equal("::1", built.Host);
        Assert.Equal(5433, built.Port);
    }

    [Fact]
    public void A_connection_string_passes_through()
    {
        var built = Parse("Host=db;Port=5555;Database=tasks;Username=bob;Password=pw");
        Assert.Equal(("db", 5555, "tasks", "bob", "pw"), (built.Host, built.Port, built.Database, built.Username, built.Password));
    }

    [Theory]
    [InlineData("postgres://")]
    [InlineData("postgres:///db")]
    [InlineData("postgres://u@h/db?nonsense_option=1")]
    [InlineData("postgres://u@h/db?sslmode=sometimes")]
    [InlineData("Host=db;Frobnicate=yes")]
    [InlineData("this is not a url")]
    public void Unusable_values_are_a_format_error(string value) =>
        Assert.Throws<FormatException>(() => DatabaseUrl.ToConnectionString(value));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_value_is_an_argument_error(string value) =>
        Assert.ThrowsAny<ArgumentException>(() => DatabaseUrl.ToConnectionString(value));
}
