namespace TaskGrid.Cli.Input;

/// <summary>Reads the objectives or languages of a matrix: one per line, blank lines skipped.</summary>
internal static class LineListReader
{
    public static IReadOnlyList<string> Read(string path, string what)
    {
        IReadOnlyList<string> items;
        try
        {
            items = [.. File.ReadAllLines(path).Select(l => l.Trim().TrimStart('\uFEFF')).Where(l => l.Length > 0)];
        }
        catch (FileNotFoundException)
        {
            throw new UsageException($"{path}: no such file (the {what} of --matrix).");
        }
        catch (DirectoryNotFoundException)
        {
            throw new UsageException($"{path}: no such file (the {what} of --matrix).");
        }
        catch (UnauthorizedAccessException)
        {
            throw new UsageException($"{path}: permission denied.");
        }
        catch (IOException ex)
        {
            throw new UsageException($"{path}: cannot be read ({ex.Message}).");
        }
        return items.Count > 0 ? items : throw new UsageException($"{path}: no {what} in it (one per line).");
    }
}
