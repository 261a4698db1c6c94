using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TaskGrid.Serialization;
using TaskGrid.Tasks;

namespace TaskGrid.Cli.Input;

/// <summary>
/// Tasks from CSV: the header row names API task fields (<c>kind,objective,language,priority</c>,
/// ...); each later row is one task, an empty cell leaves the field unset. <c>args</c> holds
/// space-separated arguments and <c>env</c> holds <c>NAME=value</c> pairs separated by <c>;</c>.
/// </summary>
internal static class CsvTaskReader
{
    public static List<SourcedTask> Read(string text, string name)
    {
        var records = CsvRecords.Parse(text, name);
        if (records.Count == 0)
        {
            return [];
        }
        var (headerLine, header) = records[0];
        var columns = new List<(string Field, Type Type)>();
        foreach (var cell in header)
        {
            var field = cell.Trim().ToLowerInvariant().Replace('-', '_');
            if (!TaskFields.All.TryGetValue(field, out var type))
            {
                throw new UsageException($"{name}:{headerLine}: column '{cell.Trim()}' is not a task field (fields: {TaskFields.Names}).");
            }
            if (columns.Any(c => c.Field == field))
            {
                throw new UsageException($"{name}:{headerLine}: column '{field}' appears twice.");
            }
            columns.Add((field, type));
        }

        var tasks = new List<SourcedTask>(records.Count - 1);
        foreach (var (line, cells) in records.Skip(1))
        {
            if (cells.Count != columns.Count)
            {
                throw new UsageException($"{name}:{line}: {cells.Count} fields, but the header has {columns.Count}.");
            }
            var task = new JsonObject();
            for (var i = 0; i < cells.Count; i++)
            {
                if (cells[i].Length > 0)
                {
                    task[columns[i].Field] = ToJson(columns[i].Field, columns[i].Type, cells[i], name, line);
                }
            }
            try
            {
                tasks.Add(new SourcedTask(task.Deserialize<SubmitTaskRequest>(TaskGridJson.Options)!, line));
            }
            catch (JsonException ex)
            {
                throw new UsageException($"{name}:{line}: {TaskFields.Describe(ex)}");
            }
        }
        return tasks;
    }

    private static JsonNode ToJson(string field, Type type, string cell, string name, int line)
    {
        if (type == typeof(int))
        {
            return int.TryParse(cell.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                ? JsonValue.Create(number)
                : throw new UsageException($"{name}:{line}: {field}: '{cell}' is not a whole number.");
        }
        if (typeof(IReadOnlyDictionary<string, string>).IsAssignableFrom(type))
        {
            var env = new JsonObject();
            foreach (var pair in cell.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new UsageException($"{name}:{line}: {field}: '{pair}' is not NAME=value (separate pairs with ';').");
                }
                env[pair[..equals]] = pair[(equals + 1)..];
            }
            return env;
        }
        if (typeof(IEnumerable<string>).IsAssignableFrom(type) && type != typeof(string))
        {
            return new JsonArray([.. cell.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => (JsonNode)JsonValue.Create(a))]);
        }
        return JsonValue.Create(cell);
    }
}
