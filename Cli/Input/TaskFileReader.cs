using System.Text.Json;
using TaskGrid.Serialization;
using TaskGrid.Tasks;

namespace TaskGrid.Cli.Input;

/// <summary>
/// Reads the tasks of <c>grids create --from-file</c>: JSON Lines (<c>.jsonl</c>, <c>.ndjson</c>:
/// one task object per line, the API's field names), CSV (<c>.csv</c>: a header row of field
/// names) or a JSON array (<c>.json</c>). The whole file is read and checked before anything is
/// sent, so a bad line 9,000 does not leave a half-created grid. Errors name the file and line.
/// </summary>
internal static class TaskFileReader
{
    public static IReadOnlyList<SourcedTask> Read(string path)
    {
        var name = path;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            throw new UsageException($"{name}: no such file.");
        }
        catch (DirectoryNotFoundException)
        {
            throw new UsageException($"{name}: no such file (its directory does not exist).");
        }
        catch (UnauthorizedAccessException)
        {
            throw new UsageException($"{name}: permission denied.");
        }
        catch (IOException ex)
        {
            throw new UsageException($"{name}: cannot be read ({ex.Message}).");
        }
        var extension = Path.GetExtension(path);
        var tasks = extension.ToUpperInvariant() switch
        {
            ".JSONL" or ".NDJSON" => ReadJsonLines(text, name),
            ".CSV" => CsvTaskReader.Read(text, name),
            ".JSON" => ReadJsonArray(text, name),
            _ => throw new UsageException(
                $"{name}: unknown file type '{extension}'; use .jsonl (one JSON task per line), .csv (a header row of field names) or .json (an array of tasks)."),
        };
        return tasks.Count > 0 ? tasks : throw new UsageException($"{name}: the file holds no tasks.");
    }

    private static List<SourcedTask> ReadJsonLines(string text, string name)
    {
        var tasks = new List<SourcedTask>();
        var lineNumber = 0;
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var trimmed = line.TrimStart('\uFEFF').Trim();
            if (!trimmed.StartsWith('{'))
            {
                throw new UsageException($"{name}:{lineNumber}: expected a JSON object such as {{\"kind\": \"noop\"}}, one task per line.");
            }
            try
            {
                var task = JsonSerializer.Deserialize<SubmitTaskRequest>(trimmed, TaskGridJson.Options)!;
                tasks.Add(new SourcedTask(task, lineNumber));
            }
            catch (JsonException ex)
            {
                throw new UsageException($"{name}:{lineNumber}: {TaskFields.Describe(ex)}");
            }
        }
        return tasks;
    }

    private static List<SourcedTask> ReadJsonArray(string text, string name)
    {
        var tasks = new List<SourcedTask>();
        var bytes = System.Text.Encoding.UTF8.GetBytes(text.TrimStart('\uFEFF'));
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw new UsageException($"{name}:1: a .json task file must be an array of task objects.");
            }
            var lines = new LineCounter(bytes);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var line = lines.LineAt((int)reader.TokenStartIndex);
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new UsageException($"{name}:{line}: expected a task object.");
                }
                try
                {
                    tasks.Add(new SourcedTask(JsonSerializer.Deserialize<SubmitTaskRequest>(ref reader, TaskGridJson.Options)!, line));
                }
                catch (JsonException ex)
                {
                    throw new UsageException($"{name}:{line}: {TaskFields.Describe(ex)}");
                }
            }
        }
        catch (JsonException ex)
        {
            throw new UsageException($"{name}:{(ex.LineNumber ?? 0) + 1}: {TaskFields.Describe(ex)}");
        }
        return tasks;
    }

    // Line numbers of increasing offsets, counted once through the file.
    private sealed class LineCounter(byte[] bytes)
    {
        private int _offset;
        private int _line = 1;

        public int LineAt(int offset)
        {
            for (; _offset < offset && _offset < bytes.Length; _offset++)
            {
                if (bytes[_offset] == (byte)'\n')
                {
                    _line++;
                }
            }
            return _line;
        }
    }
}
