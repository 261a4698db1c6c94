using System.Text.Json;
using System.Text.Json.Nodes;
using TaskGrid.Cli;
using TaskGrid.Cli.Connection;
using TaskGrid.Cli.Input;
using TaskGrid.Cli.Output;
using TaskGrid.Grids;
using TaskGrid.Serialization;
using TaskGrid.Tasks;
using TaskGrid.Tests.Cli.Support;

namespace TaskGrid.Tests.Cli.Input;

/// <summary>The CLI's pure parts: CSV records, YAML that reads back as the JSON, which gateway and key to use.</summary>
public sealed class InputTests
{
    [Fact]
    public void Csv_quoted_fields_hold_commas_quotes_and_line_breaks_and_records_keep_their_first_line()
    {
        var records = CsvRecords.Parse("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n\"two\nlines\",z\n", "t.csv");

        Assert.Equal([1, 2, 4], records.Select(r => r.Line));
        Assert.Equal(["x, y", "say \"hi\""], records[1].Fields);
        Assert.Equal(["two\nlines", "z"], records[2].Fields);
    }

    [Fact]
    public void Csv_tasks_take_the_api_field_names_and_types()
    {
        var tasks = CsvTaskReader.Read("Kind,max-attempts,args,env,source\nscript,2,a  b,X=1;Y=two words,echo\n", "t.csv");

        var task = Assert.Single(tasks).Request;
        Assert.Equal(2, Assert.Single(tasks).Line);
        Assert.Equal(("script", 2), (task.Kind, task.MaxAttempts));
        Assert.Equal(["a", "b"], task.Args!);
        Assert.Equal("two words", task.Env!["Y"]);
    }

    [Fact]
    public void Yaml_output_reads_back_as_exactly_the_json()
    {
        var grid = new GridView(Guid.NewGuid(), "admin", "yes", GridStatus.Active, 0, null, 3, null,
            new GridCounts(1, 2, 3, 4, 5, 6), 21, 0.5, 1.25, null, DateTimeOffset.UtcNow, null, null, 7);
        var task = JsonSerializer.Deserialize<TaskView>(JsonSerializer.Serialize(new
        {
            id = Guid.NewGuid(), user_id = "123", grid_id = (Guid?)null, kind = "script", status = "completed", priority = -5,
            objective = "null", language = "true", code = "line one\n  indented: yes\n\nlast  ", output = "trailing space \n", error = "#not a comment: [x]",
            attempt = 1, max_attempts = 3, timeout_seconds = (int?)null,
            script = new { interpreter = "bash", source = "echo \"$1\"\t'q'", args = new[] { "--flag", "0x10", "" }, env = new Dictionary<string, string> { ["on"] = "off", ["A B"] = "1e3" } },
            usage = (object?)null, created_at = DateTimeOffset.UtcNow, run_at = DateTimeOffset.UtcNow, expires_at = (DateTimeOffset?)null,
            started_at = (DateTimeOffset?)null, completed_at = (DateTimeOffset?)null, version = 9,
        }, TaskGridJson.Options), TaskGridJson.Options)!;

        foreach (var value in new object[] { grid, task, new[] { grid }, Array.Empty<TaskView>() })
        {
            var json = JsonSerializer.SerializeToNode(value, value.GetType(), TaskGridJson.Options);
            using var writer = new StringWriter();
            YamlWriter.Write(json, writer);
            Assert.True(JsonNode.DeepEquals(json, YamlToJson.Parse(writer.ToString())), writer.ToString());
        }
    }

    [Fact]
    public void The_profile_key_is_only_sent_to_the_profiles_own_gateway()
    {
        var profile = new LoginProfile("http://gateway.example:8080/", "tg_saved");
        Func<string, string?> none = _ => null;

        var saved = ConnectionSettings.Resolve(null, null, none, () => profile);
        Assert.Equal(("http://gateway.example:8080/", "tg_saved"), (saved.Url.ToString(), saved.ApiKey));

        var elsewhere = ConnectionSettings.Resolve("http://other.example:8080", null, none, () => profile);
        Assert.Null(elsewhere.ApiKey);

        var sameWithoutSlash = ConnectionSettings.Resolve("http://GATEWAY.example:8080", null, none, () => profile);
        Assert.Equal("tg_saved", sameWithoutSlash.ApiKey);

        var fromEnvironment = ConnectionSettings.Resolve(null, null, name => name == "TASKGRID_API_KEY" ? "tg_env" : null, () => profile);
        Assert.Equal(("tg_env", "TASKGRID_API_KEY"), (fromEnvironment.ApiKey, fromEnvironment.KeySource));

        var option = ConnectionSettings.Resolve(null, "tg_option", name => name == "TASKGRID_API_KEY" ? "tg_env" : null, () => profile);
        Assert.Equal("tg_option", option.ApiKey);

        var defaults = ConnectionSettings.Resolve(null, null, none, () => null);
        Assert.Equal((ConnectionSettings.DefaultUrl + "/", null), (defaults.Url.ToString(), defaults.ApiKey));

        Assert.Throws<UsageException>(() => ConnectionSettings.Resolve("localhost:8080", null, none, () => null));
    }
}
